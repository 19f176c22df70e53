import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { TestClock } from '../../../test/support/app.js';
import { createDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDatabaseJobQueue } from './database-queue.js';
import type { JobQueue, JobRow } from './job-queue.js';
import {
  createJobRunner,
  PermanentJobError,
  type JobHandler,
  type RunnableKind,
} from './job-runner.js';

/** A test kind: any object payload, the registry's 2 s, 8 s, … backoff. */
const testKind = (concurrency: number, timeoutMs: number): RunnableKind<unknown> => ({
  concurrency,
  timeoutMs,
  backoffMs: (attempt) => 2_000 * 4 ** (attempt - 1),
  parsePayload: (raw) => {
    if (typeof raw !== 'object' || raw === null || !('id' in raw)) throw new Error('no id');
    return raw;
  },
});
const retryable = (attempt: number) => ({
  permanent: false,
  backoffMs: 2_000 * 4 ** (attempt - 1),
});

describe('persisted job queue', () => {
  let testDb: TestDatabase;
  let database: Database;
  let clock: TestClock;
  let queue: JobQueue;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = createDatabase(testDb.config);
    await migrateToLatest(database, testDb.config);
  });
  afterAll(async () => {
    await database.destroy();
    await testDb.cleanup();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('jobs').execute();
    clock = new TestClock();
    queue = createDatabaseJobQueue(database, clock);
  });

  const job = (id: string, maxAttempts = 3) => ({
    kind: 'test',
    key: `test:${id}:1`,
    entityId: id,
    payload: { id },
    maxAttempts,
  });

  it('enqueues each key once', async () => {
    expect(await queue.enqueue(job('a'))).not.toBeNull();
    expect(await queue.enqueue(job('a'))).toBeNull();
    expect(await queue.counts()).toEqual({ queued: 1 });
  });

  it('claims each job exactly once, even with many workers racing', async () => {
    for (let i = 0; i < 10; i++) await queue.enqueue(job(String(i)));
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, i) => queue.claim(`worker-${i}`, ['test'], 60_000)),
    );
    const claimed = claims.filter((c) => c !== undefined).map((c) => c.id);
    expect(claimed.length).toBeLessThanOrEqual(10);
    expect(new Set(claimed).size).toBe(claimed.length);
    const running = await database.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'running')
      .execute();
    expect(running.map((r) => r.id).sort()).toEqual([...claimed].sort());
    expect(running.every((r) => r.attempts === 1 && r.lockedBy !== null)).toBe(true);
    expect(await queue.claim('late', ['other-kind'], 60_000)).toBeUndefined();
  });

  it('retries a failure after a growing backoff, then fails for good', async () => {
    await queue.enqueue(job('r', 2));
    const first = await queue.claim('w', ['test'], 60_000);
    expect(await queue.fail(first as JobRow, 'w', 'boom 1', retryable(1))).toBe('queued');
    expect(await queue.claim('w', ['test'], 60_000)).toBeUndefined(); // backing off
    clock.advance(2_001);
    const second = await queue.claim('w', ['test'], 60_000);
    expect(second?.attempts).toBe(2);
    expect(await queue.fail(second as JobRow, 'w', 'boom 2', retryable(2))).toBe('failed');
    const row = await queue.findByKey('test:r:1');
    expect(row).toMatchObject({ status: 'failed', lastError: 'boom 2', attempts: 2 });
  });

  it('does not retry a permanent failure', async () => {
    await queue.enqueue(job('p'));
    const claimed = await queue.claim('w', ['test'], 60_000);
    expect(
      await queue.fail(claimed as JobRow, 'w', 'bad input', { permanent: true, backoffMs: 0 }),
    ).toBe('failed');
  });

  it('requeues a job whose worker died (lease expired) and fails it when attempts are used up', async () => {
    await queue.enqueue(job('d', 2));
    await queue.claim('dead-worker', ['test'], 5_000);
    expect(await queue.recoverExpired()).toEqual([]);
    expect(await queue.counts()).toEqual({ running: 1 });
    clock.advance(5_001);
    expect(await queue.recoverExpired()).toEqual([]);
    expect((await queue.findByKey('test:d:1'))?.status).toBe('queued');

    const again = await queue.claim('dead-again', ['test'], 5_000);
    expect(await queue.heartbeat(again?.id ?? '', 'dead-again', 5_000, 40)).toBe(true);
    clock.advance(5_001);
    const failed = await queue.recoverExpired();
    expect(failed.map((j) => j.key)).toEqual(['test:d:1']);
    expect(await queue.findByKey('test:d:1')).toMatchObject({ status: 'failed', progress: 40 });
    expect((await queue.findByKey('test:d:1'))?.lastError).toContain('interrupted');
  });

  it('finds the running jobs of given entities by their id, not by key patterns', async () => {
    await queue.enqueue({ ...job('e1'), entityId: 'portrait-1' });
    await queue.enqueue({ ...job('e2'), entityId: 'portrait-12' });
    await queue.enqueue({ ...job('e3'), kind: 'cleanup', entityId: 'portrait-1' });
    expect(await queue.runningFor(['portrait-1'], 'cleanup')).toEqual([]);
    await queue.claim('w', ['test', 'cleanup'], 60_000);
    await queue.claim('w', ['test', 'cleanup'], 60_000);
    await queue.claim('w', ['test', 'cleanup'], 60_000);
    expect(await queue.runningFor(['portrait-1'], 'cleanup')).toEqual(['test:e1:1']);
    expect((await queue.runningFor(['portrait-1', 'portrait-12'], 'other')).sort()).toEqual([
      'test:e1:1',
      'test:e2:1',
      'test:e3:1',
    ]);
    expect(await queue.runningFor([], 'cleanup')).toEqual([]);
  });

  describe('runner', () => {
    const logger = pino({ level: 'silent' });
    let stop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await stop?.();
    });

    const waitFor = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await check())) {
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting: ${JSON.stringify(await database.db.selectFrom('jobs').selectAll().execute())}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it('runs jobs with bounded per-kind concurrency, times out hung ones and reports failures', async () => {
      let active = 0;
      let maxActive = 0;
      const failedPayloads: unknown[] = [];
      const kinds = { test: testKind(2, 5_000), hang: testKind(1, 100), bad: testKind(1, 5_000) };
      const handlers: Record<string, JobHandler<unknown>> = {
        test: {
          async run() {
            active++;
            maxActive = Math.max(maxActive, active);
            await new Promise((resolve) => setTimeout(resolve, 50));
            active--;
          },
        },
        hang: {
          run: (_payload, { signal }) =>
            new Promise((_resolve, reject) => {
              signal.addEventListener('abort', () => {
                reject(signal.reason as Error);
              });
            }),
          onFailed: async (payload) => {
            failedPayloads.push(payload);
          },
        },
        bad: {
          run: () => Promise.reject(new PermanentJobError('not fixable')),
          onFailed: async (payload) => {
            failedPayloads.push(payload);
          },
        },
      };
      for (let i = 0; i < 6; i++) await queue.enqueue(job(`c${i}`));
      await queue.enqueue({ ...job('hang', 1), kind: 'hang', key: 'hang:1:1' });
      await queue.enqueue({ ...job('bad'), kind: 'bad', key: 'bad:1:1' });

      const runner = createJobRunner({
        queue,
        kinds,
        handlers,
        logger,
        pollMs: 20,
        leaseMs: 2_000,
      });
      stop = () => runner.stop();
      runner.start();
      await waitFor(async () => {
        const counts = await queue.counts();
        return counts.done === 6 && counts.failed === 2;
      });
      expect(maxActive).toBe(2);
      expect((await queue.findByKey('hang:1:1'))?.lastError).toContain('timed out');
      expect(await queue.findByKey('bad:1:1')).toMatchObject({
        attempts: 1,
        lastError: 'not fixable',
      });
      expect(failedPayloads).toEqual(expect.arrayContaining([{ id: 'hang' }, { id: 'bad' }]));
    });

    it('refuses to start with a registered kind that has no handler', () => {
      const kinds = { test: testKind(1, 1_000), orphan: testKind(1, 1_000) };
      const handlers = { test: { run: () => Promise.resolve() } };
      expect(() => createJobRunner({ queue, kinds, handlers, logger })).toThrow(
        /job kinds without a handler: orphan/,
      );
    });

    it('wakes as soon as the enqueuing transaction commits, not at the next poll', async () => {
      const ran: unknown[] = [];
      const kinds = { test: testKind(1, 5_000) };
      const handlers = { test: { run: async (payload: unknown) => void ran.push(payload) } };
      // A poll far in the future: only the after-commit wake-up can start the job in time.
      const runner = createJobRunner({ queue, kinds, handlers, logger, pollMs: 60_000 });
      stop = () => runner.stop();
      runner.start();
      await waitFor(async () => runner.runningCount() === 0);
      await database
        .transaction(async (trx) => {
          await queue.enqueue(job('rolled-back'), trx);
          throw new Error('the change fails');
        })
        .catch(() => undefined);
      await database.transaction(async (trx) => {
        await queue.enqueue(job('w'), trx);
        // Not visible (nor woken for) before the commit.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(ran).toEqual([]);
      });
      await waitFor(async () => (await queue.findByKey('test:w:1'))?.status === 'done');
      expect(ran).toEqual([{ id: 'w' }]);
      expect(await queue.findByKey('test:rolled-back:1')).toBeUndefined();
    });

    it('fails a job whose payload does not fit its kind for good, without running it', async () => {
      let runs = 0;
      const kinds = { test: testKind(1, 5_000) };
      const handlers = {
        test: {
          run: async () => {
            runs++;
          },
        },
      };
      await queue.enqueue({ ...job('x'), payload: { other: 1 } });
      const runner = createJobRunner({ queue, kinds, handlers, logger, pollMs: 20 });
      stop = () => runner.stop();
      runner.start();
      await waitFor(async () => (await queue.findByKey('test:x:1'))?.status === 'failed');
      expect(runs).toBe(0);
      expect(await queue.findByKey('test:x:1')).toMatchObject({ attempts: 1 });
      expect((await queue.findByKey('test:x:1'))?.lastError).toContain('invalid job payload');
    });

    it('leaves a job interrupted by shutdown to be resumed by the next start', async () => {
      let started = 0;
      const kinds = { test: testKind(1, 60_000) };
      const handlers: Record<string, JobHandler<unknown>> = {
        test: {
          run: (_payload, { signal }) => {
            started++;
            return new Promise((resolve, reject) => {
              if (started > 1) {
                resolve(undefined);
                return;
              }
              signal.addEventListener('abort', () => {
                reject(signal.reason as Error);
              });
            });
          },
        },
      };
      await queue.enqueue(job('s'));
      const first = createJobRunner({ queue, kinds, handlers, logger, pollMs: 20, leaseMs: 1_000 });
      first.start();
      await waitFor(async () => (await queue.findByKey('test:s:1'))?.status === 'running');
      await first.stop();
      expect((await queue.findByKey('test:s:1'))?.status).toBe('running');

      clock.advance(1_001); // the lease of the stopped worker runs out
      const second = createJobRunner({
        queue,
        kinds,
        handlers,
        logger,
        pollMs: 20,
        leaseMs: 1_000,
      });
      stop = () => second.stop();
      second.start();
      await waitFor(async () => (await queue.findByKey('test:s:1'))?.status === 'done');
      expect((await queue.findByKey('test:s:1'))?.attempts).toBe(2);
    });
  });
});
