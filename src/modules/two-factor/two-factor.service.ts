import QRCode from 'qrcode';
import type { Database, Executor } from '../../infra/db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { Authenticated, ClientMeta } from '../auth/auth.service.js';
import type { LockoutService } from '../auth/lockout.service.js';
import type { PasswordHasher } from '../auth/password.js';
import type { SessionsRepo } from '../auth/sessions.repo.js';
import type { UserRow, UsersRepo } from '../users/users.repo.js';
import { newBackupCodes, normaliseBackupCode } from './backup-codes.js';
import type { SecondFactorMethod } from './sign-in.js';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.js';
import type { TwoFactorKeys } from './two-factor-keys.js';
import { policyApplies, type TwoFactorPolicy } from './two-factor-policy.js';
import type { TwoFactorRepo, UserTwoFactorRow } from './two-factor.repo.js';

export interface TwoFactorStatus {
  totpEnabled: boolean;
  backupCodesRemaining: number;
  /** A code can be e-mailed at sign-in (SMTP configured and the account has an address). */
  emailAvailable: boolean;
  /** `REQUIRE_2FA` applies to this account. */
  required: boolean;
  /** This session may only enrol (it was opened under the policy without a second factor). */
  enrolmentRequired: boolean;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

interface Deps {
  database: Database;
  repo: TwoFactorRepo;
  users: UsersRepo;
  sessions: Pick<SessionsRepo, 'setEnrolmentOnly' | 'restrictAllOfUser' | 'revokeAllForUser'>;
  hasher: Pick<PasswordHasher, 'verify'>;
  lockout: Pick<LockoutService, 'admit'>;
  keys: TwoFactorKeys;
  audit: AuditService;
  clock: Clock;
  policy: TwoFactorPolicy;
  /** The issuer authenticator apps show next to the account (the studio's name). */
  issuer: string;
  /** SMTP is configured: e-mail codes can be sent. */
  mailAvailable: boolean;
}

export const codeInvalid = () =>
  new AppError('two_factor_code_invalid', 401, 'the code is wrong, expired or already used');
const notEnabled = () =>
  new AppError('two_factor_not_enabled', 409, 'two-factor sign-in is not on for this account');

/** A wrong second factor (or password), audited `auth.two_factor_failed` as the account's own act. */
export const recordTwoFactorFailure = (
  audit: AuditService,
  userId: string,
  meta: ClientMeta,
  details: Record<string, string>,
) =>
  audit.record({
    action: 'auth.two_factor_failed',
    actorUserId: userId,
    actorIp: meta.ip,
    targetType: 'user',
    targetId: userId,
    details,
  });

/**
 * Checks one code against the account: a TOTP code (±1 step, each step once) or an unused
 * backup code (used up). Returns the factor that matched, or null. Writes go to `db`, so a
 * caller's transaction can undo them.
 */
export async function verifySecondFactor(
  deps: Pick<Deps, 'repo' | 'keys' | 'clock'>,
  db: Executor,
  user: UserRow,
  state: UserTwoFactorRow,
  given: { code?: string; backupCode?: string },
): Promise<Exclude<SecondFactorMethod, 'email'> | null> {
  const { repo, keys, clock } = deps;
  const now = clock.now();
  if (given.code !== undefined && state.totpSecret !== null) {
    // Six digits are a TOTP code; anything else typed in the same field may be a backup code.
    const secret = keys.openSecret(state.totpSecret, user.id);
    const step = matchTotp(secret, given.code, now, state.totpLastStep);
    if (step !== null && (await repo.acceptStep(db, user.id, step))) return 'totp';
  }
  const backup = given.backupCode ?? given.code;
  if (backup !== undefined) {
    const normalised = normaliseBackupCode(backup);
    if (
      normalised !== null &&
      (await repo.useBackupCode(
        db,
        user.id,
        keys.backupCodeHash(user.id, normalised),
        now.toISOString(),
      ))
    ) {
      return 'backup_code';
    }
  }
  return null;
}

/**
 * The account side of two-factor sign-in: TOTP enrolment (pending until a first code confirms
 * it), backup codes, turning it off, and an admin's reset. Sign-in itself is `sign-in.ts`.
 */
export function createTwoFactorService(deps: Deps) {
  const { database, repo, users, sessions, hasher, lockout, keys, audit, clock, policy } = deps;
  const { db } = database;

  async function issueBackupCodes(trx: Executor, userId: string, at: string): Promise<string[]> {
    const codes = newBackupCodes();
    await repo.replaceBackupCodes(
      trx,
      userId,
      codes.map((code) => ({
        id: uuidv7(),
        codeHash: keys.backupCodeHash(userId, normaliseBackupCode(code) ?? code),
      })),
      at,
    );
    return codes;
  }

  /**
   * A code proving the person holds the second factor (and, to turn it off, the password), for
   * turning it off or new backup codes: counted by the lockout like a sign-in (423 while
   * locked), so a borrowed session cannot guess the password here either; audited when wrong.
   */
  async function requireProof(
    user: UserRow,
    state: UserTwoFactorRow,
    given: { code: string; password?: string },
    meta: ClientMeta,
    purpose: 'disable' | 'backup_codes',
  ): Promise<void> {
    const attempt = await lockout.admit(
      { accountKey: user.id, userId: user.id },
      meta.ip ?? 'unknown',
    );
    const passwordOk =
      given.password === undefined || (await hasher.verify(given.password, user.passwordHash));
    const factor = passwordOk
      ? await verifySecondFactor(deps, db, user, state, { code: given.code })
      : null;
    if (factor === null) {
      await recordTwoFactorFailure(
        audit,
        user.id,
        meta,
        passwordOk ? { purpose } : { purpose, reason: 'password' },
      );
      await attempt.failed();
      throw passwordOk
        ? codeInvalid()
        : new AppError('invalid_credentials', 401, 'the password is wrong');
    }
    await attempt.abandoned(); // a right code neither counts nor clears the sign-in failures
  }

  async function enabledState(userId: string): Promise<UserTwoFactorRow> {
    const state = await repo.find(db, userId);
    if (state?.totpSecret == null) throw notEnabled();
    return state;
  }

  return {
    isEnabled: async (userId: string): Promise<boolean> =>
      (await repo.find(db, userId))?.totpSecret != null,

    async status(auth: Authenticated): Promise<TwoFactorStatus> {
      const emailAddress = auth.user.email;
      const state = await repo.find(db, auth.user.id);
      const totpEnabled = state?.totpSecret != null;
      return {
        totpEnabled,
        backupCodesRemaining: totpEnabled ? await repo.countBackupCodesLeft(db, auth.user.id) : 0,
        emailAvailable: deps.mailAvailable && emailAddress !== null && emailAddress !== '',
        required: policyApplies(policy, auth.user.role),
        enrolmentRequired: auth.session.enrolmentOnly === 1,
      };
    },

    /** A new secret, pending until confirmed; a restart replaces a pending one. */
    async startTotp(user: UserRow): Promise<TotpSetup> {
      const secret = newTotpSecret();
      const now = clock.now().toISOString();
      if (!(await repo.setPending(db, user.id, keys.sealSecret(secret, user.id), now))) {
        throw new AppError(
          'two_factor_already_enabled',
          409,
          'two-factor sign-in is already on: turn it off first to enrol another device',
        );
      }
      const url = otpauthUrl(secret, deps.issuer, user.username);
      return {
        secret,
        otpauthUrl: url,
        qrSvg: await QRCode.toString(url, { type: 'svg', margin: 2 }),
      };
    },

    /**
     * The first code from the app turns TOTP on and returns the 10 backup codes (shown once).
     * An enrolment-only session becomes a full one.
     */
    async confirmTotp(auth: Authenticated, code: string, meta: ClientMeta): Promise<string[]> {
      const { user } = auth;
      const state = await repo.find(db, user.id);
      if (state?.totpSecret != null) {
        throw new AppError('two_factor_already_enabled', 409, 'two-factor sign-in is already on');
      }
      if (state?.totpPendingSecret == null) {
        throw new AppError('two_factor_setup_missing', 409, 'start the setup first');
      }
      const sealed = state.totpPendingSecret;
      const step = matchTotp(keys.openSecret(sealed, user.id), code, clock.now(), null);
      if (step === null) {
        await recordTwoFactorFailure(audit, user.id, meta, { purpose: 'confirm' });
        throw codeInvalid();
      }
      const now = clock.now().toISOString();
      return database.transaction(async (trx) => {
        if (!(await repo.enable(trx, user.id, sealed, step, now))) {
          throw new AppError(
            'two_factor_setup_missing',
            409,
            'the setup changed meanwhile: start again',
          );
        }
        const codes = await issueBackupCodes(trx, user.id, now);
        await sessions.setEnrolmentOnly(trx, auth.session.id, false);
        await audit.record(
          {
            action: 'auth.two_factor_enabled',
            actorUserId: user.id,
            actorIp: meta.ip,
            targetType: 'user',
            targetId: user.id,
            details: { method: 'totp' },
          },
          trx,
        );
        return codes;
      });
    },

    /**
     * Turns two-factor sign-in off with the password and a code (TOTP or backup); the code
     * alone when the account's password login is off (single sign-on only: its password is a
     * random one nobody knows). Under the policy, the account's sessions may then only enrol
     * again.
     */
    async disable(
      auth: Authenticated,
      password: string | undefined,
      code: string,
      meta: ClientMeta,
    ) {
      const { user } = auth;
      const state = await enabledState(user.id);
      // Without a password login the account has no password to type: the code alone proves it.
      const needsPassword = user.passwordLoginDisabled !== 1;
      if (needsPassword && password === undefined) {
        throw new AppError(
          'two_factor_password_required',
          400,
          'the password is needed to turn two-factor sign-in off',
        );
      }
      await requireProof(
        user,
        state,
        needsPassword && password !== undefined ? { code, password } : { code },
        meta,
        'disable',
      );
      await database.transaction(async (trx) => {
        await repo.remove(trx, user.id);
        if (policyApplies(policy, user.role)) await sessions.restrictAllOfUser(trx, user.id);
        await audit.record(
          {
            action: 'auth.two_factor_disabled',
            actorUserId: user.id,
            actorIp: meta.ip,
            targetType: 'user',
            targetId: user.id,
          },
          trx,
        );
      });
    },

    /** A new set of 10 backup codes; the old set stops working. */
    async regenerateBackupCodes(user: UserRow, code: string, meta: ClientMeta): Promise<string[]> {
      const state = await enabledState(user.id);
      await requireProof(user, state, { code }, meta, 'backup_codes');
      const now = clock.now().toISOString();
      return database.transaction(async (trx) => {
        const codes = await issueBackupCodes(trx, user.id, now);
        await audit.record(
          {
            action: 'auth.backup_codes_regenerated',
            actorUserId: user.id,
            actorIp: meta.ip,
            targetType: 'user',
            targetId: user.id,
          },
          trx,
        );
        return codes;
      });
    },

    /**
     * An admin turns a user's two-factor sign-in off (after checking who they are out of band,
     * e.g. a lost phone): secret and backup codes go and every session of that user is revoked.
     */
    async resetForUser(userId: string, actor: Actor): Promise<void> {
      const user = await users.findById(db, userId);
      if (user === undefined) throw new AppError('not_found', 404, 'user not found');
      const state = await repo.find(db, userId);
      if (state === undefined) throw notEnabled();
      const now = clock.now().toISOString();
      await database.transaction(async (trx) => {
        await repo.remove(trx, userId);
        await sessions.revokeAllForUser(trx, userId, now);
        await audit.record(
          {
            action: 'user.two_factor_reset',
            ...byActor(actor),
            targetType: 'user',
            targetId: userId,
            details: { totpWasEnabled: state.totpSecret !== null },
          },
          trx,
        );
      });
    },
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
