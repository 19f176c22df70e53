import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createDatabase, type Database } from '../../infra/db/database.js';
import { migrateToLatest } from '../../infra/db/migrate.js';
import { systemClock } from '../../shared/clock.js';
import { createAuditRepo, type AuditRepo } from './audit.repo.js';
import { createAuditService, type AuditService } from './audit.service.js';

/**
 * The audit chain on the backend under test: `verifyChain` reads the log a page at a time
 * (never the whole table), finds exactly the entry that was edited, and concurrent appends
 * never fork the chain.
 */
describe('audit chain', () => {
  const ENTRIES = 1200;
  let testDatabase: TestDatabase;
  let database: Database;
  let auditRepo: AuditRepo;
  let audit: AuditService;

  /** Row counts of every query result that went through `counted`. */
  const resultSizes: number[] = [];
  const counting: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: (args) => {
      resultSizes.push(args.result.rows.length);
      return Promise.resolve(args.result);
    },
  };

  /** An audit service whose chain walk reads pages of `pageSize` entries, counted. */
  const pagedAudit = (pageSize: number): AuditService =>
    createAuditService({
      database,
      auditRepo: {
        ...auditRepo,
        inOrder: (db) => auditRepo.inOrder(db.withPlugin(counting), pageSize),
      },
      clock: systemClock,
    });

  const entryIds = async (): Promise<string[]> =>
    (await database.db.selectFrom('auditLog').select('id').orderBy('seq').execute()).map(
      (row) => row.id,
    );

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = createDatabase(testDatabase.config);
    await migrateToLatest(database, testDatabase.config);
    auditRepo = createAuditRepo(database.dialect);
    audit = createAuditService({ database, auditRepo, clock: systemClock });
    // Appended inside the callers' transactions, 100 per transaction: each append chains onto
    // the entries its own transaction wrote before.
    for (let batch = 0; batch < ENTRIES / 100; batch++) {
      await database.transaction(async (trx) => {
        for (let i = 0; i < 100; i++) {
          const n = batch * 100 + i;
          await audit.record(
            { action: 'test.entry', targetType: 'test', targetId: String(n), details: { n } },
            trx,
          );
        }
      });
    }
  });
  afterAll(async () => {
    await database.destroy();
    await testDatabase.cleanup();
  });

  it('reads the log in pages, in chain order', async () => {
    resultSizes.length = 0;
    const seqs: number[] = [];
    for await (const row of auditRepo.inOrder(database.db.withPlugin(counting), 50)) {
      seqs.push(row.seq);
    }
    expect(seqs).toHaveLength(ENTRIES);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(ENTRIES);
    // 24 full pages, then the empty one that ends the walk; no query returns more than a page.
    expect(resultSizes).toEqual([...Array<number>(24).fill(50), 0]);
  });

  it('verifies the whole chain across page boundaries', async () => {
    resultSizes.length = 0;
    expect(await pagedAudit(7).verifyChain()).toBeNull();
    expect(Math.max(...resultSizes)).toBe(7);
    expect(resultSizes.reduce((sum, n) => sum + n, 0)).toBe(ENTRIES);
    expect(await audit.verifyChain()).toBeNull();
  });

  it('finds exactly the entry whose details were edited in the table', async () => {
    const ids = await entryIds();
    // The first entry of a page (700 = 7 × 100) and one inside a page.
    for (const index of [700, 1001]) {
      const victim = ids[index] ?? '';
      const original = await database.db
        .selectFrom('auditLog')
        .select('details')
        .where('id', '=', victim)
        .executeTakeFirstOrThrow();
      await database.db
        .updateTable('auditLog')
        .set({ details: JSON.stringify({ n: -1 }) })
        .where('id', '=', victim)
        .execute();
      expect(await pagedAudit(7).verifyChain()).toBe(victim);
      expect(await audit.verifyChain()).toBe(victim);

      await database.db
        .updateTable('auditLog')
        .set({ details: original.details })
        .where('id', '=', victim)
        .execute();
      expect(await pagedAudit(7).verifyChain()).toBeNull();
    }
  });

  it('keeps the chain valid under concurrent appends', async () => {
    const before = await auditRepo.count(database.db);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        audit.record({ action: 'test.concurrent', targetType: 'test', targetId: `c${i}` }),
      ),
    );
    // And concurrent transactions that each append two entries to their own change.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        database.transaction(async (trx) => {
          await audit.record({ action: 'test.concurrent_trx', targetId: `t${i}a` }, trx);
          await audit.record({ action: 'test.concurrent_trx', targetId: `t${i}b` }, trx);
        }),
      ),
    );
    expect(await auditRepo.count(database.db)).toBe(before + 40);
    expect(await pagedAudit(7).verifyChain()).toBeNull();

    const rows = await database.db
      .selectFrom('auditLog')
      .select(['prevHash', 'hash'])
      .orderBy('seq')
      .execute();
    // No fork: every entry's predecessor is distinct, and each links to the one before it.
    expect(new Set(rows.map((row) => row.prevHash)).size).toBe(rows.length);
    rows.slice(1).forEach((row, i) => {
      expect(row.prevHash).toBe(rows[i]?.hash);
    });
  });
});
