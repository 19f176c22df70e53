import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createDatabase, type Database } from '../../infra/db/database.js';
import { migrateToLatest } from '../../infra/db/migrate.js';
import { createAuditRepo } from '../audit/audit.repo.js';
import { createAuditService } from '../audit/audit.service.js';
import { createLockoutService, type Attempt } from './lockout.service.js';
import { createLoginFailuresRepo } from './login-failures.repo.js';

/**
 * The lockout's counting on the real database of the backend under test (its upsert and
 * conditional lock are dialect-sensitive SQL), without the HTTP app or storage.
 */
describe('lockout counting on the database', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  const clock = new TestClock(new Date('2026-05-01T08:00:00.000Z'));
  let lockout: ReturnType<typeof createLockoutService>;
  const subject = { accountKey: 'unknown:abc', userId: null };

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = createDatabase(testDatabase.config);
    await migrateToLatest(database, testDatabase.config);
    lockout = createLockoutService({
      database,
      failures: createLoginFailuresRepo(),
      audit: createAuditService({ database, auditRepo: createAuditRepo(database.dialect), clock }),
      clock,
      settings: { maxAttempts: 3, lockoutMinutes: 10, accountMaxFailuresPerHour: 100 },
    });
  });
  afterAll(async () => {
    await database.destroy();
    await testDatabase.cleanup();
  });

  const fail = async (ip: string) => {
    const attempt: Attempt = await lockout.admit(subject, ip);
    await attempt.failed();
  };

  it('lets only maxAttempts of a concurrent burst through to the password check', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => lockout.admit(subject, '192.0.2.1')),
    );
    const admitted = results.filter((r) => r.status === 'fulfilled');
    expect(admitted).toHaveLength(3);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toMatchObject({ code: 'account_locked', httpStatus: 423 });
      }
    }
    const [lock] = await lockout.list();
    expect(lock).toMatchObject({ scope: 'ip', ip: '192.0.2.1', account: 'unknown:abc' });
    expect(Date.parse(lock?.lockedUntil ?? '') - clock.now().getTime()).toBe(10 * 60_000);
  });

  it('starts a count over once its window has passed', async () => {
    await fail('192.0.2.2');
    await fail('192.0.2.2');
    clock.advance(10 * 60_000 + 1);
    await fail('192.0.2.2'); // a new window: 1 failure, not 3
    await fail('192.0.2.2');
    const attempt = await lockout.admit(subject, '192.0.2.2');
    await attempt.succeeded();
    expect((await lockout.list()).some((l) => l.ip === '192.0.2.2')).toBe(false);
  });

  it('gives back an attempt that was never checked', async () => {
    for (let i = 0; i < 5; i++) {
      const attempt = await lockout.admit(subject, '192.0.2.3');
      await attempt.abandoned();
    }
    await fail('192.0.2.3');
    await fail('192.0.2.3');
    await expect(lockout.admit(subject, '192.0.2.3')).resolves.toBeDefined();
  });
});
