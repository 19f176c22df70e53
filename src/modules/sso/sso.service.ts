import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Transaction } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { DB, Role } from '../../infra/db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, type ErrorCode } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { sameSecret } from '../../shared/same-secret.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ClientMeta, LoginResult } from '../auth/auth.service.js';
import type { PasswordHasher } from '../auth/password.js';
import type { SessionsRepo } from '../auth/sessions.repo.js';
import type { SignInCompletion } from '../two-factor/sign-in.js';
import type { UserRow, UsersRepo } from '../users/users.repo.js';
import { USERNAME_PATTERN } from '../users/users.service.js';
import { SSO_COOKIE_TTL_MS, type SsoCookieSealer, type SsoFlowState } from './sso-cookie.js';
import { SsoFlowError, type SsoIdentity, type SsoProvider } from './sso.providers.js';
import type { SsoRepo } from './sso.repo.js';

export interface SsoServiceSettings {
  publicBaseUrl: string;
  autoCreate: boolean;
  roleClaim: string | undefined;
}

interface Deps {
  database: Database;
  providers: Map<string, SsoProvider>;
  sso: SsoRepo;
  users: UsersRepo;
  sessions: Pick<SessionsRepo, 'findById'>;
  hasher: Pick<PasswordHasher, 'hash'>;
  audit: AuditService;
  clock: Clock;
  sealer: SsoCookieSealer;
  signIn: Pick<SignInCompletion, 'afterFirstFactor'>;
  settings: SsoServiceSettings;
}

/** Where the callback sends the browser, and the session it opened (cookie to set). */
export interface CallbackResult {
  location: string;
  session: LoginResult | null;
}

/** A refusal the person is told about (`ssoError`), audited as `auth.sso_refused`. */
class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    readonly userId: string | null = null,
  ) {
    super(code);
  }
}

const lastSignInMethod = () =>
  new AppError(
    'sso_last_sign_in_method',
    409,
    'this would leave the account without a way to sign in: link a provider or keep the password login',
  );

/** `admin` in the role claim (a string or a list of them) → admin, else operator. */
export function roleFromClaim(value: unknown): Role {
  const values = Array.isArray(value) ? value : [value];
  return values.includes('admin') ? 'admin' : 'operator';
}

/** A username from an e-mail or login: lower case, allowed characters, 3–64 long. */
export function usernameBase(hint: string | null): string {
  const local = (hint ?? '').split('@')[0] ?? '';
  let base = local
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 56)
    .replace(/[._-]+$/, '');
  if (base.length < 3) base = `user-${base}`.replace(/-$/, '') || 'user';
  return USERNAME_PATTERN.test(base) ? base : 'user';
}

/**
 * Single sign-on: the start of a sign-in or link (the flow state sealed into a cookie), the
 * callback (who the provider says it is → which account), and the account's links.
 * Accounts are found by (provider, subject); an e-mail only ever links a first sign-in, when
 * the provider marks it verified and that account has no other identity of the provider.
 */
export function createSsoService(deps: Deps) {
  const { database, providers, sso, users, sessions, audit, clock, sealer, settings } = deps;
  const { db } = database;

  const redirectUriOf = (providerId: string) =>
    `${settings.publicBaseUrl}/api/auth/sso/${providerId}/callback`;

  function providerOf(id: string): SsoProvider {
    const provider = providers.get(id);
    if (provider === undefined) {
      throw new AppError('sso_provider_unknown', 404, `no sign-on provider "${id}" is configured`);
    }
    return provider;
  }

  const listProviders = () =>
    [...providers.values()].map((p) => ({ id: p.id, label: p.label, kind: p.kind }));

  /**
   * The provider's authorization URL and the sealed cookie binding its callback to this
   * browser. Throws `SsoFlowError` (provider unreachable) and 404 for an unknown provider.
   */
  async function start(
    providerId: string,
    mode: { kind: 'login' } | { kind: 'link'; userId: string; sessionId: string },
  ): Promise<{ url: string; cookie: string }> {
    const provider = providerOf(providerId);
    const codeVerifier = client.randomPKCECodeVerifier();
    const flow: SsoFlowState = {
      provider: provider.id,
      state: client.randomState(),
      nonce: provider.usesNonce ? client.randomNonce() : null,
      codeVerifier,
      mode: mode.kind,
      userId: mode.kind === 'link' ? mode.userId : null,
      sessionId: mode.kind === 'link' ? mode.sessionId : null,
      expiresAt: clock.now().getTime() + SSO_COOKIE_TTL_MS,
    };
    const url = await provider.authorizationUrl({
      redirectUri: redirectUriOf(provider.id),
      state: flow.state,
      nonce: flow.nonce,
      codeChallenge: await client.calculatePKCECodeChallenge(codeVerifier),
    });
    return { url: url.toString(), cookie: sealer.seal(flow) };
  }

  async function refuse(providerId: string, refusal: Refusal, meta: ClientMeta) {
    await audit.record({
      action: 'auth.sso_refused',
      actorUserId: refusal.userId,
      actorIp: meta.ip,
      details: { provider: providerId, code: refusal.code, reason: refusal.reason },
    });
  }

  /** The provider's answer: a session, a second-factor challenge, a link, or a refusal. */
  async function callback(
    providerId: string,
    query: Record<string, string>,
    cookie: string | undefined,
    meta: ClientMeta,
  ): Promise<CallbackResult> {
    const provider = providerOf(providerId);
    const flow = sealer.open(cookie, clock.now());
    const failurePage = flow?.mode === 'link' ? '/admin/account' : '/admin/login';
    try {
      if (flow === null) throw new Refusal('sso_state_invalid', 'no or expired cookie');
      if (flow.provider !== provider.id) throw new Refusal('sso_state_invalid', 'provider');
      if (query.state === undefined || !sameSecret(query.state, flow.state)) {
        throw new Refusal('sso_state_invalid', 'state', flow.userId);
      }
      if (query.error !== undefined) throw new Refusal('sso_failed', 'denied', flow.userId);
      const callbackUrl = new URL(redirectUriOf(provider.id));
      callbackUrl.search = new URLSearchParams(query).toString();
      let identity: SsoIdentity;
      try {
        identity = await provider.complete({
          callbackUrl,
          redirectUri: redirectUriOf(provider.id),
          state: flow.state,
          nonce: flow.nonce,
          codeVerifier: flow.codeVerifier,
        });
      } catch (error) {
        if (error instanceof SsoFlowError) {
          throw new Refusal(error.code, error.reason, flow.userId);
        }
        throw error;
      }
      if (flow.mode === 'link') {
        await link(provider, identity, flow, meta);
        return {
          location: `/admin/account?linked=${encodeURIComponent(provider.id)}`,
          session: null,
        };
      }
      const user = await accountFor(provider, identity, meta);
      await syncRole(user, identity, meta);
      const fresh = (await users.findById(db, user.id)) ?? user;
      const outcome = await deps.signIn.afterFirstFactor(fresh, meta, {
        via: { method: 'sso', provider: provider.id },
        mfaAsserted: identity.mfaAsserted,
      });
      if (outcome.kind === 'session') return { location: '/admin/', session: outcome.session };
      const params = new URLSearchParams({
        challenge: outcome.challenge,
        methods: outcome.methods.join(','),
      });
      return { location: `/admin/login?${params.toString()}`, session: null };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      await refuse(provider.id, error, meta);
      return { location: `${failurePage}?ssoError=${error.code}`, session: null };
    }
  }

  /** Mode link: the identity joins the account that asked, if it belongs to no one else. */
  async function link(
    provider: SsoProvider,
    identity: SsoIdentity,
    flow: SsoFlowState,
    meta: ClientMeta,
  ): Promise<void> {
    const now = clock.now();
    const session =
      flow.sessionId === null ? undefined : await sessions.findById(db, flow.sessionId);
    const user = flow.userId === null ? undefined : await users.findById(db, flow.userId);
    if (
      session === undefined ||
      user === undefined ||
      session.userId !== user.id ||
      session.revokedAt !== null ||
      Date.parse(session.expiresAt) <= now.getTime() ||
      user.disabledAt !== null
    ) {
      // The session that asked has ended meanwhile: a link needs a signed-in person.
      throw new Refusal('sso_state_invalid', 'session', flow.userId);
    }
    const owner = await sso.findBySubject(db, provider.id, identity.subject);
    if (owner !== undefined) {
      if (owner.userId === user.id) return; // linked already
      throw new Refusal('sso_link_conflict', 'identity linked to another account', user.id);
    }
    if ((await sso.findForUser(db, user.id, provider.id)) !== undefined) {
      throw new Refusal(
        'sso_link_conflict',
        'account has another identity of the provider',
        user.id,
      );
    }
    await insertLink(user.id, provider.id, identity, meta, 'account');
  }

  async function insertLink(
    userId: string,
    providerId: string,
    identity: SsoIdentity,
    meta: ClientMeta,
    by: 'account' | 'email' | 'created',
    trx?: Transaction<DB>,
  ): Promise<void> {
    const now = clock.now().toISOString();
    const write = async (executor: Transaction<DB>) => {
      await sso.insert(executor, {
        userId,
        provider: providerId,
        subject: identity.subject,
        email: identity.emailVerified ? identity.email : null,
        linkedAt: now,
        lastLoginAt: by === 'account' ? null : now,
      });
      await audit.record(
        {
          action: 'auth.sso_linked',
          actorUserId: userId,
          actorIp: meta.ip,
          targetType: 'user',
          targetId: userId,
          details: { provider: providerId, by },
        },
        executor,
      );
    };
    try {
      if (trx !== undefined) await write(trx);
      else await database.transaction(write);
    } catch (error) {
      // Two callbacks raced for the same identity or account: one link wins.
      if (isUniqueViolation(error)) throw new Refusal('sso_link_conflict', 'race', userId);
      throw error;
    }
  }

  /** Mode login: the account of this identity (found, linked by verified e-mail, or created). */
  async function accountFor(
    provider: SsoProvider,
    identity: SsoIdentity,
    meta: ClientMeta,
  ): Promise<UserRow> {
    const linked = await sso.findBySubject(db, provider.id, identity.subject);
    if (linked !== undefined) {
      const user = await users.findById(db, linked.userId);
      if (user === undefined) throw new Refusal('sso_no_account', 'link without account');
      if (user.disabledAt !== null) throw new Refusal('sso_account_disabled', 'disabled', user.id);
      await sso.touch(
        db,
        provider.id,
        identity.subject,
        identity.emailVerified ? identity.email : linked.email,
        clock.now().toISOString(),
      );
      return user;
    }
    // A first sign-in: only an e-mail the provider vouches for may find or make an account.
    if (identity.email === null || !identity.emailVerified) {
      throw new Refusal(
        'sso_email_unverified',
        identity.email === null ? 'no e-mail' : 'unverified',
      );
    }
    const userId = await sso.findUserIdByEmail(db, identity.email);
    if (userId !== undefined) {
      const user = await users.findById(db, userId);
      if (user === undefined) throw new Refusal('sso_no_account', 'vanished');
      if ((await sso.findForUser(db, user.id, provider.id)) !== undefined) {
        throw new Refusal(
          'sso_link_conflict',
          'account has another identity of the provider',
          user.id,
        );
      }
      if (user.disabledAt !== null) throw new Refusal('sso_account_disabled', 'disabled', user.id);
      await insertLink(user.id, provider.id, identity, meta, 'email');
      return user;
    }
    if (!settings.autoCreate) throw new Refusal('sso_no_account', 'no account, auto-create off');
    return createAccount(provider, identity, meta);
  }

  async function freeUsername(hint: string | null): Promise<string> {
    const base = usernameBase(hint);
    for (let n = 1; n <= 20; n++) {
      const candidate = n === 1 ? base : `${base.slice(0, 60)}-${n}`;
      if ((await users.findByUsername(db, candidate)) === undefined) return candidate;
    }
    return `${base.slice(0, 55)}-${randomBytes(4).toString('hex')}`;
  }

  /** `OIDC_AUTO_CREATE`: a new account, password login off, role from the claim. */
  async function createAccount(
    provider: SsoProvider,
    identity: SsoIdentity,
    meta: ClientMeta,
  ): Promise<UserRow> {
    const now = clock.now().toISOString();
    const role: Role =
      settings.roleClaim === undefined
        ? 'operator'
        : roleFromClaim(identity.claims[settings.roleClaim]);
    const row: UserRow = {
      id: uuidv7(),
      username: await freeUsername(identity.usernameHint),
      email: identity.email,
      // Nobody knows this password: the account signs in through the provider only.
      passwordHash: await deps.hasher.hash(randomBytes(32).toString('base64url')),
      role,
      disabledAt: null,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
      locale: null,
      passwordLoginDisabled: 1,
    };
    try {
      await database.transaction(async (trx) => {
        await users.insert(trx, row);
        await audit.record(
          {
            action: 'user.create',
            actorUserId: row.id,
            actorIp: meta.ip,
            targetType: 'user',
            targetId: row.id,
            details: { username: row.username, role, via: 'sso', provider: provider.id },
          },
          trx,
        );
        await insertLink(row.id, provider.id, identity, meta, 'created', trx);
      });
    } catch (error) {
      if (error instanceof Refusal) throw error;
      if (isUniqueViolation(error)) throw new Refusal('sso_link_conflict', 'race');
      throw error;
    }
    return row;
  }

  /**
   * `OIDC_ROLE_CLAIM`: the role follows the provider at every sign-in (`user.role.sync`), but
   * the last active admin is never demoted (refused and audited; the sign-in goes on).
   */
  async function syncRole(user: UserRow, identity: SsoIdentity, meta: ClientMeta): Promise<void> {
    if (settings.roleClaim === undefined) return;
    const role = roleFromClaim(identity.claims[settings.roleClaim]);
    if (role === user.role) return;
    const event = {
      action: 'user.role.sync',
      actorUserId: user.id,
      actorIp: meta.ip,
      targetType: 'user',
      targetId: user.id,
    };
    await database.transaction(async (trx) => {
      if (
        user.role === 'admin' &&
        user.disabledAt === null &&
        (await sso.countActiveAdmins(trx)) <= 1
      ) {
        await audit.record(
          {
            ...event,
            details: { from: user.role, to: role, applied: false, reason: 'last_admin' },
          },
          trx,
        );
        return;
      }
      await users.update(trx, user.id, { role }, clock.now().toISOString());
      await audit.record({ ...event, details: { from: user.role, to: role, applied: true } }, trx);
    });
  }

  // ---- the account's own links ------------------------------------------------------------

  async function listLinks(userId: string) {
    const user = await users.findById(db, userId);
    const links = await sso.listForUser(db, userId);
    return {
      links: links.map((l) => ({
        provider: l.provider,
        label: providers.get(l.provider)?.label ?? l.provider,
        email: l.email,
        linkedAt: l.linkedAt,
      })),
      passwordLoginEnabled: user?.passwordLoginDisabled !== 1,
    };
  }

  async function unlink(self: { userId: string; ip: string | null }, providerId: string) {
    const user = await users.findById(db, self.userId);
    const links = await sso.listForUser(db, self.userId);
    if (user === undefined || !links.some((l) => l.provider === providerId)) {
      throw new AppError('not_found', 404, `no link to "${providerId}" on this account`);
    }
    if (user.passwordLoginDisabled === 1 && links.length <= 1) throw lastSignInMethod();
    await database.transaction(async (trx) => {
      await sso.remove(trx, self.userId, providerId);
      await audit.record(
        {
          action: 'auth.sso_unlinked',
          actorUserId: self.userId,
          actorIp: self.ip,
          targetType: 'user',
          targetId: self.userId,
          details: { provider: providerId },
        },
        trx,
      );
    });
  }

  async function setPasswordLogin(self: { userId: string; ip: string | null }, enabled: boolean) {
    const user = await users.findById(db, self.userId);
    if (user === undefined) throw new AppError('not_found', 404, 'user not found');
    if (!enabled && (await sso.listForUser(db, self.userId)).length === 0) throw lastSignInMethod();
    if ((user.passwordLoginDisabled === 0) === enabled) return;
    await database.transaction(async (trx) => {
      await sso.setPasswordLoginDisabled(trx, self.userId, !enabled, clock.now().toISOString());
      await audit.record(
        {
          action: 'auth.password_login_changed',
          actorUserId: self.userId,
          actorIp: self.ip,
          targetType: 'user',
          targetId: self.userId,
          details: { enabled },
        },
        trx,
      );
    });
  }

  return { listProviders, start, callback, listLinks, unlink, setPasswordLogin, providerOf };
}

export type SsoService = ReturnType<typeof createSsoService>;
