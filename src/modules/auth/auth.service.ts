import type { Database } from '../../infra/db/database.js';
import type { Role, UserLocale } from '../../infra/db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserRow, UsersRepo } from '../users/users.repo.js';
import type { PublicUser } from '../users/users.schemas.js';
import { normaliseUsername, toPublicUser } from '../users/users.service.js';
import type { Attempt, LockoutService } from './lockout.service.js';
import type { PasswordHasher } from './password.js';
import type { SessionRow, SessionsRepo } from './sessions.repo.js';
import type { TokenService } from './tokens.js';

export interface AuthSettings {
  sessionTimeoutMinutes: number;
  sessionMaxHours: number;
}

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface LoginResult {
  user: PublicUser;
  /** The admin-app language saved on the account (null: never chosen). */
  savedLocale: UserLocale | null;
  accessToken: string;
  csrfToken: string;
  expiresAt: string;
}

/** How a sign-in was completed, recorded on its `auth.login` audit entry. */
export type SignInVia =
  | { method: 'password' }
  | { method: 'sso'; provider: string }
  | {
      method: 'two_factor';
      factor: string;
      /** What came before the second factor: `password` or `sso:<provider>`. */
      firstFactor?: string;
    };

export interface Authenticated {
  user: UserRow;
  session: SessionRow;
}

const ROLE_RANK: Record<Role, number> = { operator: 1, admin: 2 };

/** admin > operator: a route that needs `operator` admits admins too. */
export const roleAtLeast = (role: Role, required: Role): boolean =>
  ROLE_RANK[role] >= ROLE_RANK[required];

const invalidCredentials = () =>
  new AppError('invalid_credentials', 401, 'wrong username or password');
const sessionExpired = () =>
  new AppError('session_expired', 401, 'your session has expired or was revoked: log in again');

interface Deps {
  database: Database;
  users: UsersRepo;
  sessions: SessionsRepo;
  hasher: Pick<PasswordHasher, 'verify' | 'verifyAgainstNothing'>;
  tokens: TokenService;
  audit: AuditService;
  clock: Clock;
  settings: AuthSettings;
  lockout: Pick<LockoutService, 'admit'>;
}

/**
 * Login, token check and logout. An access token is a JWT naming a server-side session row:
 * the row makes logout and revocation immediate and carries the sliding idle timeout. A session
 * opened or closed commits together with its audit entry.
 */
export function createAuthService(deps: Deps) {
  const { database, users, sessions, hasher, tokens, audit, clock, settings, lockout } = deps;
  const { db } = database;
  const idleMs = settings.sessionTimeoutMinutes * 60_000;
  // Writing last-seen on every request would turn reads into writes; a few seconds of
  // slack is invisible next to a timeout counted in minutes.
  const touchEveryMs = Math.min(60_000, idleMs / 10);

  /**
   * Password straight to a session, with no second factor: for tests and tools only. The HTTP
   * login goes `verifyPassword` → `SignInCompletion.afterFirstFactor`, which asks for the second
   * factor of an account that has one.
   */
  async function login(username: string, password: string, meta: ClientMeta): Promise<LoginResult> {
    const { user, attempt } = await verifyPassword(username, password, meta);
    await attempt.succeeded();
    return openSession(user, meta, { method: 'password' });
  }

  /**
   * The password step alone: 423/429 while locked out, 401 `invalid_credentials` (audited,
   * counted) when wrong. On success the attempt is left to the caller to settle: `succeeded`
   * when a session opens, `abandoned` when a second factor is still to come (so the password
   * alone never clears the failures a second factor counts).
   */
  async function verifyPassword(
    username: string,
    password: string,
    meta: ClientMeta,
  ): Promise<{ user: UserRow; attempt: Attempt }> {
    const name = normaliseUsername(username);
    const user = await users.findByUsername(db, name);
    // A typed name that names no user is known only by its keyed hash: people type passwords
    // into the username field, so what they typed is never stored.
    const usernameHash = user === undefined ? tokens.usernameDigest(name) : null;
    const attempt = await lockout.admit(
      user === undefined
        ? { accountKey: `unknown:${usernameHash}`, userId: null }
        : { accountKey: user.id, userId: user.id },
      meta.ip ?? 'unknown',
    ); // 423 while locked: no hash is computed
    let passwordOk: boolean;
    try {
      // Exactly one bcrypt comparison on every path, so timing does not reveal which part was wrong.
      passwordOk =
        user === undefined
          ? await hasher.verifyAgainstNothing(password)
          : await hasher.verify(password, user.passwordHash);
    } catch (error) {
      await attempt.abandoned(); // e.g. 503 `busy`: the password was never checked
      throw error;
    }
    // Password login turned off (single sign-on only): the answer of a wrong password.
    if (
      user === undefined ||
      !passwordOk ||
      user.disabledAt !== null ||
      user.passwordLoginDisabled === 1
    ) {
      // A refused login changes nothing: its entry gets a transaction of its own.
      await audit.record({
        action: 'auth.login_failed',
        actorUserId: user?.id ?? null,
        actorIp: meta.ip,
        details: user === undefined ? { usernameHash } : { username: user.username },
      });
      await attempt.failed();
      throw invalidCredentials();
    }
    return { user, attempt };
  }

  /**
   * Opens a session for a user whose sign-in is complete (password, and any second factor or
   * single sign-on), with its `auth.login` audit entry in the same transaction. The one place a
   * session starts, so every way in ends in the same row, token and audit entry.
   */
  async function openSession(
    user: UserRow,
    meta: ClientMeta,
    via: SignInVia,
    options: { enrolmentOnly?: boolean } = {},
  ): Promise<LoginResult> {
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + settings.sessionMaxHours * 3_600_000);
    const session: SessionRow = {
      id: uuidv7(now.getTime()),
      userId: user.id,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      enrolmentOnly: options.enrolmentOnly === true ? 1 : 0,
    };
    await database.transaction(async (trx) => {
      await sessions.insert(trx, session);
      await audit.record(
        {
          action: 'auth.login',
          actorUserId: user.id,
          actorIp: meta.ip,
          targetType: 'session',
          targetId: session.id,
          ...(via.method === 'password' ? {} : { details: via }),
        },
        trx,
      );
    });
    return {
      user: toPublicUser(user),
      savedLocale: user.locale,
      accessToken: await tokens.signAccessToken(
        { userId: user.id, sessionId: session.id },
        now,
        expiresAt,
      ),
      csrfToken: tokens.csrfTokenFor(session.id),
      expiresAt: session.expiresAt,
    };
  }

  /** Resolves a token to its live session and user, sliding the idle timeout; throws 401. */
  async function authenticate(token: string): Promise<Authenticated> {
    const now = clock.now();
    const claims = await tokens.verifyAccessToken(token, now);
    if (claims === null) throw new AppError('invalid_token', 401, 'invalid or expired token');
    const session = await sessions.findById(db, claims.sessionId);
    if (session === undefined || session.userId !== claims.userId || session.revokedAt !== null) {
      throw sessionExpired();
    }
    if (
      Date.parse(session.expiresAt) <= now.getTime() ||
      Date.parse(session.lastSeenAt) + idleMs <= now.getTime()
    ) {
      // An expired session is closed for good: a later request (or a clock step back) cannot revive it.
      await sessions.revoke(db, session.id, now.toISOString());
      throw sessionExpired();
    }
    const user = await users.findById(db, session.userId);
    if (user === undefined || user.disabledAt !== null) throw sessionExpired();
    if (now.getTime() - Date.parse(session.lastSeenAt) >= touchEveryMs) {
      session.lastSeenAt = now.toISOString();
      await sessions.touch(db, session.id, session.lastSeenAt);
    }
    return { user, session };
  }

  async function logout(auth: Authenticated, meta: ClientMeta): Promise<void> {
    await database.transaction(async (trx) => {
      await sessions.revoke(trx, auth.session.id, clock.now().toISOString());
      await audit.record(
        {
          action: 'auth.logout',
          actorUserId: auth.user.id,
          actorIp: meta.ip,
          targetType: 'session',
          targetId: auth.session.id,
        },
        trx,
      );
    });
  }

  return { login, verifyPassword, openSession, authenticate, logout };
}

export type AuthService = ReturnType<typeof createAuthService>;
