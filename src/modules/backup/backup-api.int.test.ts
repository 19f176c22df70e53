import { readFileSync, renameSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageKey } from '../../infra/storage/index.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../../../test/support/app.js';
import { BACKUP_PASSPHRASE } from '../../../test/support/backup.js';
import {
  createTestDatabase,
  testBackend,
  type TestDatabase,
} from '../../../test/support/database.js';
import type { BackupRunView } from './backup.schemas.js';
import { createBackupScheduler } from './backup-schedule.js';

const BACKUP_ID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

let database: TestDatabase;
let t: TestApp;
let dir: string;
let admin: LoggedIn;
let operator: LoggedIn;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'vertex-backup-api-'));
  t = await createTestApp({ BACKUP_DIR: dir, BACKUP_PASSPHRASE, JOB_POLL_MS: '100' }, { database });
  admin = await t.loginAs('admin');
  operator = await t.loginAs('operator');
  await t.ctx.storage.put(storageKey('portraits', 'p1', 'original.jpg'), Buffer.alloc(50_000, 7));
  await t.ctx.storage.put(storageKey('videos', 'v1', 'video.mp4'), Buffer.alloc(80_000, 9));
  t.ctx.jobs.start();
});

afterAll(async () => {
  await t.close();
  await database.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, session?: LoggedIn) =>
  t.app.inject({ method: 'GET', url, headers: session === undefined ? {} : bearer(session) });
const post = (url: string, session?: LoggedIn) =>
  t.app.inject({ method: 'POST', url, headers: session === undefined ? {} : bearer(session) });

/** Polls the run as the admin page does, until it has ended. */
async function finished(runId: string): Promise<BackupRunView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await get(`/api/backups/runs/${runId}`, admin);
    expect(response.statusCode, response.body).toBe(200);
    const run = response.json<BackupRunView>();
    if (run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still running`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function auditActions(): Promise<string[]> {
  const rows = await t.ctx.database.db
    .selectFrom('auditLog')
    .select('action')
    .where('action', 'like', 'backup.%')
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

async function untar(body: Buffer): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: unknown) => chunks.push(Buffer.from(chunk as Uint8Array)));
    stream.on('end', () => {
      entries.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    Readable.from([body]).pipe(extract);
  });
  return entries;
}

describe('backups through the HTTP API', () => {
  let backupId: string;

  it('is for admins only', async () => {
    expect((await get('/api/backups')).statusCode).toBe(401);
    expect((await post('/api/backups')).statusCode).toBe(401);
    const refused = await get('/api/backups', operator);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await post('/api/backups', operator)).statusCode).toBe(403);
    expect((await get('/api/backups/20250101T030000Z-abcdef/archive', operator)).statusCode).toBe(
      403,
    );
  });

  it('lists nothing yet, with the settings the page shows', async () => {
    const response = await get('/api/backups', admin);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      configured: true,
      schedule: null,
      destination: 'local',
      encryption: 'age',
      restoreCommand: 'vertex-ar backup restore <id>',
      items: [],
      lastSuccess: null,
      lastFailure: null,
    });
  });

  it('backs up now as a job, with the run to follow', async () => {
    const response = await post('/api/backups', admin);
    expect(response.statusCode, response.body).toBe(202);
    const run = response.json<BackupRunView>();
    expect(run).toMatchObject({
      kind: 'create',
      trigger: 'manual',
      status: 'running',
      requestedBy: admin.userId,
    });
    const done = await finished(run.id);
    expect(done).toMatchObject({ status: 'succeeded', error: null, copied: 2, objects: 2 });
    expect(done.backupId).toMatch(BACKUP_ID);
    expect(done.bytes).toBeGreaterThan(130_000);
    backupId = done.backupId ?? '';

    const list = (await get('/api/backups', admin)).json<{
      items: {
        id: string;
        status: string;
        bytes: number;
        objects: number;
        verification: unknown;
        restoreCommand: string;
      }[];
      lastSuccess: BackupRunView | null;
    }>();
    expect(list.items).toEqual([
      expect.objectContaining({
        id: backupId,
        status: 'complete',
        bytes: done.bytes,
        objects: 2,
        verification: null,
        restoreCommand: `vertex-ar backup restore ${backupId}`,
      }),
    ]);
    expect(list.lastSuccess?.id).toBe(run.id);
    expect(await auditActions()).toEqual(['backup.create_requested', 'backup.created']);
  });

  it('verifies a backup as a job; the list shows the verification', async () => {
    const response = await post(`/api/backups/${backupId}/verify`, admin);
    expect(response.statusCode, response.body).toBe(202);
    const run = response.json<BackupRunView>();
    expect(run).toMatchObject({ kind: 'verify', backupId, status: 'running' });
    expect(await finished(run.id)).toMatchObject({ status: 'succeeded', error: null });
    const list = (await get('/api/backups', admin)).json<{
      items: { verification: { id: string; status: string } | null }[];
    }>();
    expect(list.items[0]?.verification).toMatchObject({ id: run.id, status: 'succeeded' });
    expect(await auditActions()).toEqual([
      'backup.create_requested',
      'backup.created',
      'backup.verify_requested',
      'backup.verified',
    ]);
  });

  it('downloads a backup as a tar of its stored (encrypted) files', async () => {
    const response = await get(`/api/backups/${backupId}/archive`, admin);
    expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-tar');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="vertex-backup-${backupId}.tar"`,
    );
    const entries = await untar(response.rawPayload);
    const names = [...entries.keys()];
    expect(names).toContain(`backups/${backupId}/manifest.json.age`);
    expect(names.filter((n) => n.startsWith('objects/'))).toHaveLength(2);
    for (const [name, bytes] of entries) {
      expect(bytes.equals(readFileSync(path.join(dir, name))), name).toBe(true);
      // Encrypted as stored: the age header, never the plain JSON or media.
      expect(bytes.subarray(0, 21).toString('latin1'), name).toBe('age-encryption.org/v1');
    }
  });

  it('refuses bad and unknown ids with a code', async () => {
    for (const url of [
      '/api/backups/..%2F..%2Fetc/archive',
      '/api/backups/20250101T030000Z-ABCDEF/archive',
      '/api/backups/not-an-id/verify',
    ]) {
      const response = url.endsWith('verify') ? await post(url, admin) : await get(url, admin);
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const unknown = await get('/api/backups/20250101T030000Z-abcdef/archive', admin);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await post('/api/backups/20250101T030000Z-abcdef/verify', admin)).statusCode).toBe(404);
    const run = await get('/api/backups/runs/0190a0a0-0000-7000-8000-000000000000', admin);
    expect(run.statusCode).toBe(404);
  });

  it('records a failed backup: run, audit entry, log and the failure metric', async () => {
    // The destination becomes a regular file: nothing can be written under it (even as root).
    const away = `${dir}.away`;
    renameSync(dir, away);
    writeFileSync(dir, 'not a folder');
    try {
      const response = await post('/api/backups', admin);
      expect(response.statusCode, response.body).toBe(202);
      const failed = await finished(response.json<BackupRunView>().id);
      expect(failed.status).toBe('failed');
      expect(failed.error).toBeTruthy();
      expect(failed.error).not.toContain(dir);
      expect(failed.finishedAt).not.toBeNull();
    } finally {
      rmSync(dir, { force: true });
      renameSync(away, dir);
    }
    expect(await auditActions()).toEqual([
      'backup.create_requested',
      'backup.created',
      'backup.verify_requested',
      'backup.verified',
      'backup.download',
      'backup.create_requested',
      'backup.failed',
    ]);
    const list = (await get('/api/backups', admin)).json<{ lastFailure: BackupRunView | null }>();
    expect(list.lastFailure?.status).toBe('failed');

    const metrics = await get('/api/backups/metrics', admin);
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    const text = metrics.body;
    const nowSeconds = t.clock.now().getTime() / 1000;
    expect(text).toContain(`vertex_backup_last_failure_timestamp_seconds ${nowSeconds}`);
    expect(text).toContain(`vertex_backup_last_success_timestamp_seconds ${nowSeconds}`);
    expect(text).toMatch(/^vertex_backup_last_size_bytes \d{6,}$/m);
    expect(text).toContain('vertex_backup_runs_total{kind="create",status="failed"} 1');
    expect(text).toContain('vertex_backup_runs_total{kind="create",status="succeeded"} 1');
    expect(text).toContain('vertex_backup_runs_total{kind="verify",status="succeeded"} 1');
    expect((await get('/api/backups/metrics', operator)).statusCode).toBe(403);
  });

  it('refuses to back up without a passphrase, with a code', async () => {
    const plain = await createTestApp({ BACKUP_DIR: dir });
    try {
      const who = await plain.loginAs('admin');
      const response = await plain.app.inject({
        method: 'POST',
        url: '/api/backups',
        headers: bearer(who),
      });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'backup_not_configured' } });
      const list = await plain.app.inject({
        method: 'GET',
        url: '/api/backups',
        headers: bearer(who),
      });
      expect(list.json()).toMatchObject({ configured: false, items: [] });
    } finally {
      await plain.close();
    }
  });
});

describe('scheduled backups with several instances', () => {
  it('enqueues one backup per slot, whichever instance gets there first', async () => {
    await t.ctx.jobs.stop();
    const other = await createTestApp({ BACKUP_DIR: dir, BACKUP_PASSPHRASE }, { database });
    try {
      const slot = new Date('2031-05-04T03:00:00.000Z');
      const schedulerOf = (app: TestApp) =>
        createBackupScheduler({
          schedule: '0 3 * * *',
          database: app.ctx.database,
          backupRuns: app.ctx.services.backupRunsRepo,
          queue: app.ctx.queue,
          clock: app.clock,
          logger: app.ctx.logger,
        });
      const claims = [schedulerOf(t), schedulerOf(other), schedulerOf(t)].map(
        (scheduler) => () => scheduler.claimSlot(slot),
      );
      // PostgreSQL: at the same moment. SQLite serves one process (its driver blocks the event
      // loop while another connection of this process holds the write lock): one after another.
      const results =
        testBackend() === 'postgres-s3'
          ? await Promise.all(claims.map((claim) => claim()))
          : [await claims[0]?.(), await claims[1]?.(), await claims[2]?.()];
      const won = results.filter((id) => id !== null);
      expect(won).toHaveLength(1);
      const runs = await t.ctx.database.db
        .selectFrom('backupRuns')
        .selectAll()
        .where('slot', '=', slot.toISOString())
        .execute();
      expect(runs).toEqual([
        expect.objectContaining({
          id: won[0],
          trigger: 'schedule',
          kind: 'create',
          requestedBy: null,
        }),
      ]);
      const jobs = await t.ctx.database.db
        .selectFrom('jobs')
        .select(['key', 'status'])
        .where('kind', '=', 'backup.create')
        .where('entityId', '=', won[0] ?? '')
        .execute();
      expect(jobs).toEqual([{ key: `backup.create:${won[0]}:1`, status: 'queued' }]);
      // Started long after earlier slots: no catch-up burst, it waits for the next slot.
      const late = schedulerOf(other);
      late.start();
      try {
        expect(late.nextSlot()?.getTime()).toBeGreaterThan(other.clock.now().getTime());
      } finally {
        late.stop();
      }
      expect(late.nextSlot()).toBeNull();
      const scheduled = await t.ctx.database.db
        .selectFrom('backupRuns')
        .select('id')
        .where('trigger', '=', 'schedule')
        .execute();
      expect(scheduled).toHaveLength(1);
      // The next slot is a new one: it is claimed again.
      expect(
        await schedulerOf(other).claimSlot(new Date('2031-05-05T03:00:00.000Z')),
      ).not.toBeNull();
    } finally {
      await other.close();
    }
  });
});
