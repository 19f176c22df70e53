import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createDatabase, type Database } from '../../infra/db/database.js';
import { migrateToLatest } from '../../infra/db/migrate.js';
import { createVisitDedup } from './visit-dedup.js';
import { createVisitDedupRepo } from './visit-dedup.repo.js';

/**
 * The dedup claim on the real database of the backend (SQLite, or PostgreSQL with concurrent
 * transactions on a pool): exactly one of many simultaneous hits of a visitor counts.
 */
describe('visit deduplication on the database', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let current = Date.parse('2030-05-01T10:00:00Z');
  const clock = { now: () => new Date(current), advance: (ms: number) => (current += ms) };
  const dedup = () => createVisitDedup({ repo: createVisitDedupRepo(), clock });
  const phone = { ip: '203.0.113.7', userAgent: 'Phone A' };

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = createDatabase(testDatabase.config);
    await migrateToLatest(database, testDatabase.config);
  });
  afterAll(async () => {
    await database.destroy();
    await testDatabase.cleanup();
  });

  /** `count` hits at once, each in its own transaction as the analytics service does. */
  const hits = async (instance: ReturnType<typeof dedup>, count: number, kind = 'view') => {
    const results = await Promise.all(
      Array.from({ length: count }, () =>
        database.transaction((trx) => instance.firstInWindow(trx, 'portrait-1', kind, phone)),
      ),
    );
    return results.filter(Boolean).length;
  };

  it('counts one of 200 simultaneous hits, across two instances sharing the database', async () => {
    const [first, second] = [dedup(), dedup()];
    const counted = await Promise.all([hits(first, 100), hits(second, 100)]);
    expect(counted[0] + counted[1]).toBe(1);
    expect(await hits(first, 10, 'event:start')).toBe(1);
  });

  it('counts the visitor again once the window is over, and only once', async () => {
    const instance = dedup();
    clock.advance(29 * 60_000);
    expect(await hits(instance, 20)).toBe(0);
    clock.advance(2 * 60_000);
    expect(await hits(instance, 50)).toBe(1);
    expect(await hits(instance, 50)).toBe(0);
  });
});
