import { randomBytes, randomInt } from 'node:crypto';
import type { Database } from '../../infra/db/database.js';
import type { UserLocale } from '../../infra/db/schema.js';
import { MailSendError } from '../../infra/mail/index.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { sameSecret } from '../../shared/same-secret.js';
import { uuidv7 } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ClientMeta, LoginResult, SignInVia } from '../auth/auth.service.js';
import type { Attempt, LockoutService } from '../auth/lockout.service.js';
import type { UserRow, UsersRepo } from '../users/users.repo.js';
import { maskAddress, type SecondFactorChannel } from './second-factor-channel.js';
import type { TwoFactorKeys } from './two-factor-keys.js';
import { policyApplies, type TwoFactorPolicy } from './two-factor-policy.js';
import type { LoginChallengeRow, TwoFactorRepo } from './two-factor.repo.js';
import { codeInvalid, recordTwoFactorFailure, verifySecondFactor } from './two-factor.service.js';

export type SecondFactorMethod = 'totp' | 'backup_code' | 'email';

export type SignInOutcome =
  | { kind: 'session'; session: LoginResult; enrolmentRequired: boolean }
  | { kind: 'challenge'; challenge: string; methods: SecondFactorMethod[]; expiresAt: string };

/** A challenge lives this long after the first step. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** An e-mailed code is good this long (it may be typed into a later challenge of the account). */
export const EMAIL_CODE_TTL_MINUTES = 10;
/** One e-mail per challenge per minute, at most five an hour per account. */
export const EMAIL_RESEND_MS = 60_000;
export const EMAIL_MAX_PER_HOUR = 5;
const DAY_MS = 24 * 3_600_000;

export interface SecondFactorAnswer {
  code?: string;
  backupCode?: string;
  emailCode?: string;
}

export interface SignInCompletionDeps {
  openSession(
    user: UserRow,
    meta: ClientMeta,
    via: SignInVia,
    options?: { enrolmentOnly?: boolean },
  ): Promise<LoginResult>;
  database: Database;
  repo: TwoFactorRepo;
  users: Pick<UsersRepo, 'findById'>;
  keys: TwoFactorKeys;
  lockout: Pick<LockoutService, 'admit'>;
  audit: AuditService;
  clock: Clock;
  policy: TwoFactorPolicy;
  /** Where e-mail codes go; null: SMTP is not configured. */
  emailChannel: SecondFactorChannel | null;
  /** The language of a mail to an account that never chose one (`DEFAULT_LOCALE`). */
  defaultLocale: UserLocale;
}

const challengeInvalid = () =>
  new AppError(
    'two_factor_challenge_invalid',
    401,
    'this sign-in step is unknown, expired, already used or from another client: log in again',
  );

const ip = (meta: ClientMeta) => meta.ip ?? 'unknown';

/**
 * What follows a successful first factor (password or single sign-on): a session, or a
 * second-factor challenge when the account has two-factor sign-in; then the second step.
 *
 * A challenge is a random token held by the client; the server keeps its SHA-256, the user and a
 * keyed hash of the first step's IP and user agent. It completes once, within 5 minutes, from
 * the same client. Every wrong code counts towards the lockout of (account, IP), like a wrong
 * password, and is audited `auth.two_factor_failed`. The password step alone does not clear
 * those failures: only a completed sign-in does.
 */
export function createSignInCompletion(deps: SignInCompletionDeps) {
  const { database, repo, users, keys, lockout, audit, clock, policy, emailChannel } = deps;
  const { db } = database;

  const emailPossible = (user: UserRow) =>
    emailChannel !== null && user.email !== null && user.email !== '';

  async function methodsFor(user: UserRow): Promise<SecondFactorMethod[]> {
    const methods: SecondFactorMethod[] = ['totp'];
    if ((await repo.countBackupCodesLeft(db, user.id)) > 0) methods.push('backup_code');
    if (emailPossible(user)) methods.push('email');
    return methods;
  }

  /** The live challenge behind a token, from the client that started it, and its user. */
  async function liveChallenge(
    token: string,
    meta: ClientMeta,
  ): Promise<{ challenge: LoginChallengeRow; user: UserRow }> {
    const challenge = await repo.findChallenge(db, keys.challengeId(token));
    const now = clock.now().getTime();
    if (
      challenge === undefined ||
      challenge.usedAt !== null ||
      Date.parse(challenge.expiresAt) <= now ||
      !sameSecret(challenge.clientHash, keys.clientHash(meta.ip, meta.userAgent))
    ) {
      throw challengeInvalid();
    }
    const user = await users.findById(db, challenge.userId);
    if (user === undefined || user.disabledAt !== null) throw challengeInvalid();
    return { challenge, user };
  }

  const firstFactorOf = (challenge: LoginChallengeRow): string => {
    const via = JSON.parse(challenge.firstFactor) as SignInVia;
    return via.method === 'sso' ? `sso:${via.provider}` : via.method;
  };

  return {
    /** After the first factor (password or SSO) succeeded for `user`. */
    async afterFirstFactor(
      user: UserRow,
      meta: ClientMeta,
      options: {
        via: SignInVia;
        mfaAsserted: boolean;
        /** The password step's lockout attempt, settled here (SSO has none). */
        attempt?: Pick<Attempt, 'succeeded' | 'abandoned'>;
      },
    ): Promise<SignInOutcome> {
      const state = await repo.find(db, user.id);
      const enrolled = state?.totpSecret != null;
      if (enrolled && !options.mfaAsserted) {
        // Neither a success nor a failure yet: the second step settles it.
        await options.attempt?.abandoned();
        const token = randomBytes(32).toString('base64url');
        const now = clock.now();
        const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString();
        // Ended challenges and codes are of no further use: cleared as new ones come.
        await repo.deleteChallengesBefore(db, new Date(now.getTime() - DAY_MS).toISOString());
        await repo.insertChallenge(db, {
          id: keys.challengeId(token),
          userId: user.id,
          clientHash: keys.clientHash(meta.ip, meta.userAgent),
          firstFactor: JSON.stringify(options.via),
          createdAt: now.toISOString(),
          expiresAt,
          usedAt: null,
        });
        return { kind: 'challenge', challenge: token, methods: await methodsFor(user), expiresAt };
      }
      await options.attempt?.succeeded();
      const enrolmentRequired =
        !enrolled && !options.mfaAsserted && policyApplies(policy, user.role);
      const session = await deps.openSession(user, meta, options.via, {
        enrolmentOnly: enrolmentRequired,
      });
      return { kind: 'session', session, enrolmentRequired };
    },

    /**
     * The second step: exactly one of a TOTP code, a backup code or an e-mailed code. 401
     * `two_factor_challenge_invalid`, 401 `two_factor_code_invalid`, 423 while locked out.
     */
    async complete(token: string, answer: SecondFactorAnswer, meta: ClientMeta) {
      const { challenge, user } = await liveChallenge(token, meta);
      const attempt = await lockout.admit({ accountKey: user.id, userId: user.id }, ip(meta));
      const state = await repo.find(db, user.id);
      const now = clock.now().toISOString();
      let factor: SecondFactorMethod | null;
      try {
        // The code is used up and the challenge with it, or neither (a concurrent completion).
        factor = await database.transaction(async (trx) => {
          let matched: SecondFactorMethod | null = null;
          if (answer.emailCode !== undefined) {
            const code = answer.emailCode.replace(/[\s-]/g, '');
            if (
              /^\d{6}$/.test(code) &&
              (await repo.useEmailCode(trx, user.id, keys.emailCodeHash(user.id, code), now))
            ) {
              matched = 'email';
            }
          } else if (state?.totpSecret != null) {
            matched = await verifySecondFactor(
              deps,
              trx,
              user,
              state,
              answer.backupCode !== undefined ? { backupCode: answer.backupCode } : answer,
            );
          }
          if (matched !== null && !(await repo.useChallenge(trx, challenge.id, now))) {
            throw challengeInvalid();
          }
          return matched;
        });
      } catch (error) {
        await attempt.abandoned();
        throw error;
      }
      const tried: SecondFactorMethod =
        answer.emailCode !== undefined
          ? 'email'
          : answer.backupCode !== undefined
            ? 'backup_code'
            : 'totp';
      if (factor === null) {
        await recordTwoFactorFailure(audit, user.id, meta, { purpose: 'sign_in', factor: tried });
        await attempt.failed();
        throw codeInvalid();
      }
      await attempt.succeeded();
      const session = await deps.openSession(user, meta, {
        method: 'two_factor',
        factor,
        firstFactor: firstFactorOf(challenge),
      });
      return { session, enrolmentRequired: false };
    },

    /**
     * E-mails a 6-digit code for the challenge's account (valid 10 minutes). 409
     * `email_code_unavailable` without SMTP or an address; 429 `email_code_rate_limited`.
     */
    async sendEmailCode(
      token: string,
      meta: ClientMeta,
    ): Promise<{ sentTo: string; expiresAt: string }> {
      const { challenge, user } = await liveChallenge(token, meta);
      if (emailChannel === null || user.email === null || user.email === '') {
        throw new AppError(
          'email_code_unavailable',
          409,
          'no code can be e-mailed: the server has no mail set up or the account has no address',
        );
      }
      const now = clock.now();
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const id = uuidv7(now.getTime());
      const expiresAt = new Date(now.getTime() + EMAIL_CODE_TTL_MINUTES * 60_000).toISOString();
      // Counted and recorded under the challenge's lock, so a burst cannot slip past the limit.
      await database.transaction(async (trx) => {
        await repo.lockChallenge(trx, challenge.id);
        const sends = await repo.countEmailSends(
          trx,
          user.id,
          challenge.id,
          new Date(now.getTime() - 3_600_000).toISOString(),
        );
        const resendAt =
          sends.lastForChallenge === null
            ? 0
            : Date.parse(sends.lastForChallenge) + EMAIL_RESEND_MS;
        if (resendAt > now.getTime() || sends.user >= EMAIL_MAX_PER_HOUR) {
          const hourEndsAt =
            sends.firstForUser === null ? 0 : Date.parse(sends.firstForUser) + 3_600_000;
          const retryAt =
            resendAt > now.getTime() ? resendAt : Math.max(hourEndsAt, now.getTime() + 1000);
          const retryAfterSeconds = Math.ceil((retryAt - now.getTime()) / 1000);
          throw new AppError('email_code_rate_limited', 429, 'a code was e-mailed a moment ago', {
            retryAfterSeconds,
          });
        }
        await repo.insertEmailCode(trx, {
          id,
          userId: user.id,
          challengeId: challenge.id,
          codeHash: keys.emailCodeHash(user.id, code),
          createdAt: now.toISOString(),
          expiresAt,
          usedAt: null,
        });
      });
      try {
        await emailChannel.deliver({
          to: user.email,
          code,
          validMinutes: EMAIL_CODE_TTL_MINUTES,
          locale: user.locale ?? deps.defaultLocale,
        });
      } catch (error) {
        await repo.deleteEmailCode(db, id);
        if (error instanceof MailSendError) {
          throw new AppError('mail_send_failed', 502, error.message, { stage: error.stage });
        }
        throw error;
      }
      return { sentTo: maskAddress(user.email), expiresAt };
    },
  };
}

export type SignInCompletion = ReturnType<typeof createSignInCompletion>;
