import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A tiny History API router: the app lives under `/admin/`; routes are written without that
 * prefix (`/orders/123`). Unknown paths are served `index.html` by the server, so deep links
 * and reloads work.
 */

export const BASE = '/admin';
const CHANGE = 'vertex:navigate';

export interface Location {
  /** Path inside the app, always starting with `/` (e.g. `/orders/new`). */
  path: string;
  search: URLSearchParams;
  state: unknown;
}

function toAppPath(pathname: string): string {
  if (pathname === BASE) return '/';
  if (pathname.startsWith(`${BASE}/`)) return pathname.slice(BASE.length) || '/';
  return pathname;
}

let cached: { key: string; location: Location } | null = null;

function snapshot(): Location {
  const key = `${window.location.pathname}${window.location.search}`;
  const state: unknown = window.history.state;
  if (cached !== null && cached.key === key && cached.location.state === state) {
    return cached.location;
  }
  const location: Location = {
    path: toAppPath(window.location.pathname),
    search: new URLSearchParams(window.location.search),
    state,
  };
  cached = { key, location };
  return location;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, snapshot);
}

export function href(to: string): string {
  return `${BASE}${to === '/' ? '/' : to}`;
}

export function navigate(to: string, options: { replace?: boolean; state?: unknown } = {}): void {
  const url = href(to);
  const state = options.state ?? null;
  if (options.replace === true) window.history.replaceState(state, '', url);
  else window.history.pushState(state, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

/** Only paths inside the app are acceptable `next` targets after login (no open redirect). */
export function safeNext(value: string | null): string {
  if (value === null || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return '/';
  }
  return value;
}

/** Matches `/orders/:id` against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < patternParts.length; index++) {
    const expected = patternParts[index] ?? '';
    const actual = pathParts[index] ?? '';
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An ordinary link (works with middle-click, copy link, keyboard) that navigates in-app. */
export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      rest.target === '_blank'
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={href(to)} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}
