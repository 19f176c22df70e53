import { useEffect, useRef, type ReactNode } from 'react';
import { api } from '../api';
import { useResource } from '../hooks/useResource';
import { Link, useLocation } from '../router';
import { HttpsWarning } from './HttpsWarning';
import { Nav } from './Nav';
import { useShellText } from './shell/shellText';

/**
 * Header with navigation (and the language switch), the HTTPS warning when phones cannot use
 * the QR codes, then the page. Focus moves to the page on navigation.
 */
export function Layout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const { text } = useShellText();
  // Loaded once per session (the layout stays mounted); the setting changes only on restart.
  const system = useResource((signal) => api.systemInfo(signal), []);
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
        {text.skip}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Vertex AR
        </Link>
        <Nav />
      </header>
      <HttpsWarning info={system.data} placement="banner" />
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
