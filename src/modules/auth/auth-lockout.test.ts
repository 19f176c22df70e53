import { describe, expect, it } from 'vitest';
import { fakeTransactions } from '../../../test/support/fake-transaction.js';
import { FAKE_NOW } from '../../../test/support/service-fakes.js';
import { AppError } from '../../shared/errors.js';
import type { AuditEvent } from '../audit/audit.service.js';
import type { UserRow } from '../users/users.repo.js';
import { createAuthService } from './auth.service.js';
import type { Attempt, LoginSubject } from './lockout.service.js';
import { createTokenService } from './tokens.js';

type Deps = Parameters<typeof createAuthService>[0];

const boss: UserRow = {
  id: 'user-boss',
  username: 'boss',
  email: null,
  passwordHash: 'hash-of:right-password-42',
  role: 'admin',
  disabledAt: null,
  passwordChangedAt: FAKE_NOW.toISOString(),
  createdAt: FAKE_NOW.toISOString(),
  updatedAt: FAKE_NOW.toISOString(),
  locale: null,
  passwordLoginDisabled: 0,
};

/**
 * The login path with a counting hasher and a scripted lockout: proves which outcome of the
 * lock check leads to a password check, without timing anything.
 */
function setup(
  admit: (subject: LoginSubject, ip: string) => Promise<Attempt>,
  verifyError?: Error,
) {
  const fakes = fakeTransactions();
  const hashes = { verify: 0, dummy: 0 };
  const audits: AuditEvent[] = [];
  const outcomes: string[] = [];
  const hasher: Deps['hasher'] = {
    verify: (password, hash) => {
      if (verifyError !== undefined) return Promise.reject(verifyError);
      hashes.verify++;
      return Promise.resolve(hash === `hash-of:${password}`);
    },
    verifyAgainstNothing: () => {
      hashes.dummy++;
      return Promise.resolve(false);
    },
  };
  const service = createAuthService({
    database: fakes.database as Deps['database'],
    users: {
      findByUsername: (_db: unknown, name: string) =>
        Promise.resolve(name === boss.username ? boss : undefined),
    } as unknown as Deps['users'],
    sessions: { insert: () => Promise.resolve() } as unknown as Deps['sessions'],
    hasher,
    tokens: createTokenService('s'.repeat(40)),
    audit: {
      record: (event: AuditEvent) => {
        audits.push(event);
        return Promise.resolve();
      },
    } as unknown as Deps['audit'],
    clock: { now: () => FAKE_NOW },
    settings: { sessionTimeoutMinutes: 30, sessionMaxHours: 12 },
    lockout: {
      admit: async (subject, ip) => {
        const attempt = await admit(subject, ip);
        return {
          succeeded: () => (outcomes.push('succeeded'), attempt.succeeded()),
          failed: () => (outcomes.push('failed'), attempt.failed()),
          abandoned: () => (outcomes.push('abandoned'), attempt.abandoned()),
        };
      },
    },
  });
  return { service, hashes, audits, outcomes };
}

const meta = { ip: '203.0.113.7', userAgent: null };
const noop: Attempt = {
  succeeded: () => Promise.resolve(),
  failed: () => Promise.resolve(),
  abandoned: () => Promise.resolve(),
};
const locked = () =>
  Promise.reject(
    new AppError('account_locked', 423, 'locked', { lockedUntil: FAKE_NOW.toISOString() }),
  );

describe('login and the lockout', () => {
  it('computes no password hash while locked, with the right password or a wrong one', async () => {
    const { service, hashes, audits } = setup(locked);
    for (const password of ['right-password-42', 'wrong-password-42']) {
      await expect(service.login('boss', password, meta)).rejects.toMatchObject({
        code: 'account_locked',
        httpStatus: 423,
      });
    }
    await expect(service.login('nobody-at-all', 'x', meta)).rejects.toMatchObject({
      code: 'account_locked',
    });
    expect(hashes).toEqual({ verify: 0, dummy: 0 });
    expect(audits).toEqual([]);
  });

  it('asks the lockout about (user id, IP), or the keyed hash of an unknown name', async () => {
    const subjects: [LoginSubject, string][] = [];
    const { service } = setup((subject, ip) => {
      subjects.push([subject, ip]);
      return Promise.resolve(noop);
    });
    await service.login('BOSS', 'right-password-42', meta);
    await expect(service.login('Nobody-At-All', 'x', meta)).rejects.toThrow();
    await expect(service.login('nobody-at-all', 'y', meta)).rejects.toThrow();
    expect(subjects[0]).toEqual([{ accountKey: 'user-boss', userId: 'user-boss' }, meta.ip]);
    const unknown = subjects[1]?.[0];
    expect(unknown?.userId).toBeNull();
    expect(unknown?.accountKey).toMatch(/^unknown:[0-9a-f]{32}$/);
    expect(subjects[2]?.[0]).toEqual(unknown); // case-insensitive, like usernames
  });

  it('reports each outcome: success resets, a failure counts, a refused hash gives back', async () => {
    const { service, outcomes } = setup(() => Promise.resolve(noop));
    await service.login('boss', 'right-password-42', meta);
    await expect(service.login('boss', 'wrong-password-42', meta)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(outcomes).toEqual(['succeeded', 'failed']);

    // The hash queue is full: the password was never checked, so the attempt is given back.
    const refused = new AppError('busy', 503, 'busy');
    const full = setup(() => Promise.resolve(noop), refused);
    await expect(full.service.login('boss', 'right-password-42', meta)).rejects.toBe(refused);
    expect(full.outcomes).toEqual(['abandoned']);
    expect(full.audits).toEqual([]);
  });

  it('audits the typed name only when it names a user, else its keyed hash', async () => {
    const { service, audits } = setup(() => Promise.resolve(noop));
    await expect(service.login('boss', 'wrong-password-42', meta)).rejects.toThrow();
    await expect(service.login('my-secret-passw0rd', 'x', meta)).rejects.toThrow();
    expect(audits.map((a) => [a.action, a.actorIp])).toEqual([
      ['auth.login_failed', meta.ip],
      ['auth.login_failed', meta.ip],
    ]);
    expect(audits[0]?.details).toEqual({ username: 'boss' });
    expect(Object.keys(audits[1]?.details ?? {})).toEqual(['usernameHash']);
    expect(audits[1]?.details?.usernameHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(audits)).not.toContain('my-secret-passw0rd');
  });
});
