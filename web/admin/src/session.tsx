import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { api, ApiError, onUnauthenticated, setCsrfToken, type User } from './api';
import { clearDrafts } from './hooks/useDraft';
import { adoptAccountLocale, forgetAccountLocale } from './i18n';

/**
 * Who is logged in. The session itself is the httpOnly cookie; here live the user and the
 * CSRF token (in api.ts). When a request answers 401 while the app is in use, the session is
 * marked `expired`: the page stays mounted (nothing typed is lost) under a login dialog.
 */

export type SessionStatus = 'loading' | 'anonymous' | 'authenticated';

/** Why the user sees the login form; put into words by the page, in its language. */
export type SessionNotice =
  | { kind: 'expired' }
  | { kind: 'loggedOut' }
  | { kind: 'logoutUnconfirmed' }
  | { kind: 'checkFailed'; detail: string };

export interface Session {
  status: SessionStatus;
  user: User | null;
  /** The session ended while the app was open; a login dialog covers the page. */
  expired: boolean;
  /** Bumped on every login: loaded data refetches. */
  epoch: number;
  /** Why the user sees the login form (e.g. "your session expired"). */
  notice: SessionNotice | null;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [expired, setExpired] = useState(false);
  const [epoch, setEpoch] = useState(0);
  const [notice, setNotice] = useState<SessionNotice | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .me(controller.signal)
      .then((me) => {
        setCsrfToken(me.csrfToken);
        setUser(me.user);
        adoptAccountLocale(me);
        setStatus('authenticated');
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status !== 401) {
          setNotice({ kind: 'checkFailed', detail: error.message });
        }
        setStatus('anonymous');
      });
    return () => {
      controller.abort();
    };
  }, []);

  useEffect(() => {
    onUnauthenticated(() => {
      setCsrfToken(null);
      setExpired(true);
      setNotice({ kind: 'expired' });
    });
    return () => {
      onUnauthenticated(null);
    };
  }, []);

  const login = useCallback(
    async (username: string, password: string) => {
      const result = await api.login(username, password);
      setCsrfToken(result.csrfToken);
      if (user !== null && user.id !== result.user.id) {
        // Someone else took over the screen: nothing of the previous user's input carries over.
        clearDrafts();
      }
      setUser(result.user);
      adoptAccountLocale(result);
      setStatus('authenticated');
      setExpired(false);
      setNotice(null);
      setEpoch((value) => value + 1);
    },
    [user],
  );

  const logout = useCallback(async () => {
    let outcome: SessionNotice = { kind: 'loggedOut' };
    try {
      await api.logout();
    } catch (error) {
      // A 401 means the server had already ended the session: the outcome is the same.
      if (!(error instanceof ApiError && error.status === 401)) {
        outcome = { kind: 'logoutUnconfirmed' };
      }
    }
    setCsrfToken(null);
    clearDrafts();
    setUser(null);
    forgetAccountLocale();
    setExpired(false);
    setNotice(outcome);
    setStatus('anonymous');
  }, []);

  const value = useMemo<Session>(
    () => ({ status, user, expired, epoch, notice, login, logout }),
    [status, user, expired, epoch, notice, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}
