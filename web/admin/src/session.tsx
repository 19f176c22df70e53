import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import {
  api,
  ApiError,
  needsSecondFactor,
  onEnrolmentRequired,
  onUnauthenticated,
  setCsrfToken,
  type SecondFactorProof,
  type SignedIn,
  type TwoFactorChallenge,
  type User,
} from './api';
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
  /**
   * The studio requires two-factor sign-in and this account has none yet: the app shows only
   * its set-up until it is confirmed.
   */
  enrolmentRequired: boolean;
  /** Signs in with the password; answers the challenge when a second factor is needed. */
  login: (username: string, password: string) => Promise<TwoFactorChallenge | null>;
  /** The second step of a login: a code from the app, a backup code or an e-mailed code. */
  completeSecondFactor: (challenge: string, proof: SecondFactorProof) => Promise<void>;
  /** Two-factor sign-in is set up: the whole app opens. */
  enrolled: () => void;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [expired, setExpired] = useState(false);
  const [epoch, setEpoch] = useState(0);
  const [notice, setNotice] = useState<SessionNotice | null>(null);
  const [enrolmentRequired, setEnrolmentRequired] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api
      .me(controller.signal)
      .then((me) => {
        setCsrfToken(me.csrfToken);
        setUser(me.user);
        setEnrolmentRequired(me.enrolmentRequired);
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
    onEnrolmentRequired(() => {
      setEnrolmentRequired(true);
    });
    return () => {
      onUnauthenticated(null);
      onEnrolmentRequired(null);
    };
  }, []);

  const adopt = useCallback(
    (result: SignedIn) => {
      setCsrfToken(result.csrfToken);
      if (user !== null && user.id !== result.user.id) {
        // Someone else took over the screen: nothing of the previous user's input carries over.
        clearDrafts();
      }
      setUser(result.user);
      setEnrolmentRequired(result.enrolmentRequired);
      adoptAccountLocale(result);
      setStatus('authenticated');
      setExpired(false);
      setNotice(null);
      setEpoch((value) => value + 1);
    },
    [user],
  );

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = await api.login(username, password);
      if (needsSecondFactor(answer)) return answer;
      adopt(answer);
      return null;
    },
    [adopt],
  );

  const completeSecondFactor = useCallback(
    async (challenge: string, proof: SecondFactorProof) => {
      adopt(await api.completeSecondFactor(challenge, proof));
    },
    [adopt],
  );

  const enrolled = useCallback(() => {
    setEnrolmentRequired(false);
    setEpoch((value) => value + 1);
  }, []);

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
    setEnrolmentRequired(false);
    forgetAccountLocale();
    setExpired(false);
    setNotice(outcome);
    setStatus('anonymous');
  }, []);

  const value = useMemo<Session>(
    () => ({
      status,
      user,
      expired,
      epoch,
      notice,
      enrolmentRequired,
      login,
      completeSecondFactor,
      enrolled,
      logout,
    }),
    [
      status,
      user,
      expired,
      epoch,
      notice,
      enrolmentRequired,
      login,
      completeSecondFactor,
      enrolled,
      logout,
    ],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}
