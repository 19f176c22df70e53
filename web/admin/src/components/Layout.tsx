import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from '../router';
import { Nav } from './Nav';

/** Header with navigation, then the page. Focus moves to the page on navigation. */
export function Layout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);

  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Vertex AR
        </Link>
        <Nav />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
