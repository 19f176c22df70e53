import type { Database } from '../../infra/db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import {
  ALL_IPS,
  type FailureKey,
  type LoginFailureRow,
  type LoginFailuresRepo,
} from './login-failures.repo.js';
import type { Lockout } from './lockouts.schemas.js';

export interface LockoutSettings {
  /** Failures from one IP for one account, within `lockoutMinutes`, that lock that pair. */
  maxAttempts: number;
  lockoutMinutes: number;
  /** Failures per hour for one account from all IPs before unknown IPs are refused (429). */
  accountMaxFailuresPerHour: number;
}

/** Whom a login attempt is for: a user, or the keyed hash of a name that names no user. */
export interface LoginSubject {
  /** The user id, or `unknown:<digest>`. */
  accountKey: string;
  userId: string | null;
}

/** A counted attempt, between the lock check and the password check's outcome. */
export interface Attempt {
  /** The password was right: the (account, IP) count starts over. */
  succeeded(): Promise<void>;
  /** The password was wrong: may lock the (account, IP) pair and the account-wide ceiling. */
  failed(): Promise<void>;
  /** The password was never checked (the hash queue was full): the attempt is given back. */
  abandoned(): Promise<void>;
}

const HOUR_MS = 3_600_000;
/** An IP the user logged in from this recently is a device of theirs: the ceiling spares it. */
export const KNOWN_DEVICE_DAYS = 30;

const secondsUntil = (until: string, now: Date) =>
  Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000));

const accountLocked = (lockedUntil: string, now: Date) =>
  new AppError(
    'account_locked',
    423,
    'too many failed logins for this account from your address: try again later',
    { lockedUntil, retryAfterSeconds: secondsUntil(lockedUntil, now) },
  );

const accountThrottled = (until: string, now: Date) =>
  new AppError(
    'rate_limited',
    429,
    'too many failed logins for this account: try again later, or from a device you used before',
    { until, retryAfterSeconds: secondsUntil(until, now) },
  );

interface Deps {
  database: Database;
  failures: LoginFailuresRepo;
  audit: AuditService;
  clock: Clock;
  settings: LockoutSettings;
  /** Told of each lockout once it is recorded (metrics). */
  onLockout?: (scope: 'ip' | 'account') => void;
}

/**
 * Failed-login lockout (issue 9). Failures are counted per (account, client IP): after
 * `maxAttempts` within `lockoutMinutes` that pair is locked for `lockoutMinutes` (423, the
 * same answer whatever the password), so an attacker elsewhere cannot lock the real user out.
 * An attempt is counted *before* the password check, in one statement, so a burst of
 * concurrent attempts cannot slip more than `maxAttempts` checks past the limit.
 *
 * Against guessing from many IPs, each account also counts failures from every IP per hour;
 * at `accountMaxFailuresPerHour` the account refuses (429) IPs it has not logged in from in
 * the last 30 days until that hour ends. Known devices are never refused by it, and it ends by
 * itself: nobody is locked out for good.
 */
export function createLockoutService({
  database,
  failures,
  audit,
  clock,
  settings,
  onLockout,
}: Deps) {
  const { db } = database;
  const windowMs = settings.lockoutMinutes * 60_000;

  const isLive = (
    row: LoginFailureRow | undefined,
    now: Date,
  ): row is LoginFailureRow & {
    lockedUntil: string;
  } => row?.lockedUntil != null && Date.parse(row.lockedUntil) > now.getTime();

  /** Locks a row and records it, once: a concurrent request that locked it first wins. */
  async function lock(row: LoginFailureRow, until: string, now: Date): Promise<void> {
    await database.transaction(async (trx) => {
      if (!(await failures.lock(trx, row.id, until, now.toISOString()))) return;
      database.afterCommit(trx, () => onLockout?.(row.ip === ALL_IPS ? 'account' : 'ip'));
      await audit.record(
        {
          action: 'auth.lockout',
          actorUserId: row.userId,
          actorIp: row.ip === ALL_IPS ? null : row.ip,
          targetType: 'login_lockout',
          targetId: row.id,
          details: {
            scope: row.ip === ALL_IPS ? 'account' : 'ip',
            account: row.userId === null ? row.accountKey : undefined,
            failures: row.failures,
            lockedUntil: until,
          },
        },
        trx,
      );
    });
  }

  async function checkAccountCeiling(subject: LoginSubject, ip: string, now: Date) {
    const wide = await failures.find(db, { accountKey: subject.accountKey, ip: ALL_IPS });
    if (!isLive(wide, now)) return;
    if (subject.userId !== null) {
      const since = new Date(now.getTime() - KNOWN_DEVICE_DAYS * 24 * HOUR_MS).toISOString();
      if (await failures.hasSessionFrom(db, subject.userId, ip, since)) return;
    }
    throw accountThrottled(wide.lockedUntil, now);
  }

  async function countAccountWide(subject: LoginSubject, now: Date): Promise<void> {
    const row = await failures.increment(db, {
      id: uuidv7(now.getTime()),
      accountKey: subject.accountKey,
      userId: subject.userId,
      ip: ALL_IPS,
      now: now.toISOString(),
      windowCutoff: new Date(now.getTime() - HOUR_MS).toISOString(),
    });
    if (row.failures >= settings.accountMaxFailuresPerHour && !isLive(row, now)) {
      const until = new Date(Date.parse(row.windowStartedAt) + HOUR_MS).toISOString();
      await lock(row, until, now);
    }
  }

  /**
   * Before the password check: throws 423 `account_locked` while the (account, IP) pair is
   * locked and 429 while the account-wide ceiling refuses this IP; else counts the attempt.
   */
  async function admit(subject: LoginSubject, ip: string): Promise<Attempt> {
    const now = clock.now();
    const key: FailureKey = { accountKey: subject.accountKey, ip };
    const existing = await failures.find(db, key);
    if (isLive(existing, now)) throw accountLocked(existing.lockedUntil, now);
    await checkAccountCeiling(subject, ip, now);

    const counted = await failures.increment(db, {
      id: uuidv7(now.getTime()),
      ...key,
      userId: subject.userId,
      now: now.toISOString(),
      windowCutoff: new Date(now.getTime() - windowMs).toISOString(),
    });
    const lockUntil = () => new Date(clock.now().getTime() + windowMs).toISOString();
    if (counted.failures > settings.maxAttempts) {
      // Concurrent attempts past the limit: the first one here locks, none is checked.
      const until = lockUntil();
      await lock(counted, until, now);
      const row = await failures.find(db, key);
      throw accountLocked(row?.lockedUntil ?? until, now);
    }

    return {
      succeeded: () => failures.clear(db, key),
      abandoned: () => failures.decrement(db, key),
      async failed() {
        if (counted.failures >= settings.maxAttempts) await lock(counted, lockUntil(), now);
        await countAccountWide(subject, clock.now());
      },
    };
  }

  /** Every lock in force (per IP and account-wide), newest first. */
  async function list(): Promise<Lockout[]> {
    const rows = await failures.listLocked(db, clock.now().toISOString());
    return rows.map((row) => ({
      id: row.id,
      scope: row.ip === ALL_IPS ? 'account' : 'ip',
      username: row.username,
      account: row.userId === null ? row.accountKey : null,
      ip: row.ip === ALL_IPS ? null : row.ip,
      failures: row.failures,
      lastFailureAt: row.lastFailureAt,
      lockedUntil: row.lockedUntil,
    }));
  }

  /** An admin lifts a lock (its count starts over); 404 when there is no such row. */
  async function unlock(id: string, actor: Actor): Promise<void> {
    await database.transaction(async (trx) => {
      const row = await failures.remove(trx, id);
      if (row === undefined) throw new AppError('not_found', 404, 'lockout not found');
      await audit.record(
        {
          action: 'auth.unlock',
          ...byActor(actor),
          targetType: 'login_lockout',
          targetId: id,
          details: {
            scope: row.ip === ALL_IPS ? 'account' : 'ip',
            ip: row.ip === ALL_IPS ? null : row.ip,
            userId: row.userId,
            account: row.userId === null ? row.accountKey : undefined,
            failures: row.failures,
          },
        },
        trx,
      );
    });
  }

  return { admit, list, unlock };
}

export type LockoutService = ReturnType<typeof createLockoutService>;
