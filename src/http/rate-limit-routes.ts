/** The request budgets of `RATE_LIMIT_*`: which ones a route draws from. */
export type Budget = 'auth' | 'upload' | 'global' | 'public';

export interface RouteShape {
  method: string;
  url: string;
  /** The route has an auth guard (an `onRequest` hook): it is limited per user or API key. */
  guarded: boolean;
  /** The route takes `multipart/form-data` (an upload). */
  multipart: boolean;
}

/** The unauthenticated single sign-on steps, in Fastify's notation. */
const SSO_SIGN_IN = /^\/api\/auth\/sso\/:provider\/(start|callback)$/;

/** What the buyer's phone loads: the AR page and its events, media, markers, viewer runtime. */
const PUBLIC_PREFIXES = ['/p/', '/media/', '/static/', '/markers/'];

/**
 * The budgets a route draws from, the tightest first (a refusal by it leaves the wider ones
 * untouched). Credential routes are the unauthenticated `POST /api/auth/*` (login, and any
 * later one such as a password reset): a guarded route there (logout, sessions) is not one.
 */
export function budgetsOf(route: RouteShape): Budget[] {
  if (route.url.startsWith('/api/')) {
    const budgets: Budget[] = [];
    if (!route.guarded && route.method === 'POST' && route.url.startsWith('/api/auth/')) {
      budgets.push('auth');
    }
    // Single sign-on's start and callback are browser navigations (GET) that sign in.
    if (!route.guarded && route.method === 'GET' && SSO_SIGN_IN.test(route.url)) {
      budgets.push('auth');
    }
    if (route.multipart) budgets.push('upload');
    budgets.push('global');
    return budgets;
  }
  if (PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) return ['public'];
  return [];
}

/** How a budget behaves when its store (Redis) cannot be reached. */
export const FAILS_CLOSED: Readonly<Record<Budget, boolean>> = {
  // An attacker must not get unlimited password guesses because Redis blinked.
  auth: true,
  // The buyer's page stays up; uploads and the API are authenticated (and still lockout-bound).
  upload: false,
  global: false,
  public: false,
};
