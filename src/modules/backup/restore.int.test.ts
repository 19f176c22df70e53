import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createContext } from '../../context.js';
import { migrateToLatest } from '../../infra/db/migrate.js';
import type { PortraitDetail } from '../portraits/portraits.schemas.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../../../test/support/app.js';
import {
  backupSettings,
  expectPrintPlays,
  installationObjects,
  installationRows,
  runByHandRestore,
  waitForJobs,
} from '../../../test/support/backup.js';
import {
  createEmptyPostgresDatabase,
  type EmptyPostgresDatabase,
  testBackend,
  type TestBackend,
} from '../../../test/support/database.js';
import { placeOrder } from '../../../test/support/studio.js';
import { createBackupService, type BackupService } from './backup.service.js';
import { restoreBackup, RestoreRefused, type RestoreReport } from './restore.js';

/**
 * The acceptance round trip: an installation with ready portraits, videos, a deleted
 * portrait, users and audit entries is backed up while it serves media, then restored into an
 * empty installation of the same backend and of the other one: every row equal, every object
 * byte-identical, logins work, the audit chain verifies, and the public page plays each video on
 * its print in Chromium.
 */
const other: TestBackend = testBackend() === 'sqlite-local' ? 'postgres-s3' : 'sqlite-local';
const otherAvailable = other === 'sqlite-local' || process.env.S3_ENDPOINT !== undefined;

/** An empty installation of `backend` (createTestApp reads the backend from the environment). */
async function emptyInstallation(backend: TestBackend): Promise<TestApp> {
  const saved = process.env.VERTEX_TEST_BACKEND;
  process.env.VERTEX_TEST_BACKEND = backend;
  try {
    return await createTestApp();
  } finally {
    process.env.VERTEX_TEST_BACKEND = saved;
  }
}

describe('backup and restore, round trip', () => {
  let source: TestApp;
  let backups: BackupService;
  let backupId: string;
  let admin: { username: string; password: string };
  let portraits: { id: string; slug: string; videoId: string }[] = [];
  let workDir: string;
  const targets: TestApp[] = [];

  const serviceOf = (t: TestApp) =>
    createBackupService({
      database: t.ctx.database,
      databaseConfig: t.config.database,
      storage: t.ctx.storage,
      settings: backupSettings(path.join(workDir, 'backups')),
      secretNames: [],
      clock: t.clock,
    });

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vertex-restore-'));
    source = await createTestApp({ JOB_POLL_MS: '100' });
    source.ctx.jobs.start();
    admin = await source.createUser('admin', 'owner');
    const session: LoggedIn = await source.login(admin.username, admin.password);
    await source.loginAs('operator');
    const placed = [];
    for (const name of ['Анна Петрова', 'Boris Ivanov', 'Clara Smirnova']) {
      placed.push(
        await placeOrder(source, session, { clientName: name, clientPhone: '+7 999 123-45-67' }),
      );
    }
    await waitForJobs(source, 240_000);
    const removed = placed.pop();
    if (removed === undefined) throw new Error('no order');
    const deleted = await source.app.inject({
      method: 'DELETE',
      url: `/api/portraits/${removed.portraitId}`,
      headers: { ...bearer(session), 'x-csrf-token': session.csrfToken },
    });
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    await waitForJobs(source, 60_000);
    portraits = placed.map((p) => ({ id: p.portraitId, slug: p.slug, videoId: p.videoId }));
    for (const p of portraits) {
      const detail = await source.app.inject({
        url: `/api/portraits/${p.id}`,
        headers: bearer(session),
      });
      expect(detail.json<PortraitDetail>().status).toBe('ready');
    }

    // Back up while the installation serves its media.
    backups = serviceOf(source);
    const serving = { on: true };
    let served = 0;
    const traffic = (async () => {
      while (serving.on) {
        for (const p of portraits) {
          const response = await source.app.inject({
            url: `/media/videos/${p.videoId}/video.mp4`,
            headers: { range: 'bytes=0-65535' },
          });
          expect(response.statusCode).toBe(206);
          served += 1;
        }
      }
    })();
    try {
      backupId = (await backups.create()).id;
    } finally {
      serving.on = false;
      await traffic;
    }
    expect(served).toBeGreaterThan(0);
    await source.ctx.jobs.stop();
  }, 360_000);

  afterAll(async () => {
    for (const t of targets) await t.close();
    await source.close();
    await rm(workDir, { recursive: true, force: true });
  });

  async function restoreInto(
    backend: TestBackend,
  ): Promise<{ target: TestApp; report: RestoreReport }> {
    const target = await emptyInstallation(backend);
    targets.push(target);
    const report = await restoreBackup(
      await backups.open(backupId),
      {
        database: target.ctx.database,
        databaseConfig: target.config.database,
        storage: target.ctx.storage,
      },
      {
        dryRun: false,
        force: false,
        safetyBackup: () => Promise.reject(new Error('not expected')),
      },
    );
    return { target, report };
  }

  async function expectSameInstallation(target: TestApp): Promise<void> {
    expect(await installationRows(target)).toEqual(await installationRows(source));
    const objects = await installationObjects(target);
    expect(objects).toEqual(await installationObjects(source));
    expect(Object.keys(objects).length).toBeGreaterThanOrEqual(8);
    const login = await target.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: admin.username, password: admin.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    expect(await target.ctx.services.auditService.verifyChain()).toBeNull();
  }

  it(
    'restores into an empty installation of the same backend: rows, objects, logins, audit, the AR page',
    { timeout: 300_000 },
    async () => {
      const { target, report } = await restoreInto(testBackend());
      expect(report.found).toEqual({ rows: 0, objects: 0 });
      expect(report.rows.portraits).toBe(2);
      await expectSameInstallation(target);
      await target.app.listen({ host: '127.0.0.1', port: 0 });
      for (const p of portraits) await expectPrintPlays(target, p.id, p.slug, workDir);
    },
  );

  it.skipIf(!otherAvailable)(
    `restores into ${other} (cross-backend) with the same comparison`,
    { timeout: 300_000 },
    async () => {
      const { target } = await restoreInto(other);
      await expectSameInstallation(target);
      await target.app.listen({ host: '127.0.0.1', port: 0 });
      const first = portraits[0];
      if (first === undefined) throw new Error('no portrait');
      await expectPrintPlays(target, first.id, first.slug, workDir);
    },
  );

  it(
    'restores by hand with age, jq, sha256sum and sqlite3/pg_restore only, as the docs show',
    { timeout: 120_000 },
    async () => {
      const cwd = path.join(workDir, 'by-hand');
      const dataDir = path.join(cwd, 'data');
      await mkdir(dataDir, { recursive: true });
      const env: Record<string, string> = {
        BACKUP_DIR: path.join(workDir, 'backups'),
        ID: backupId,
        DATA_DIR: dataDir,
      };
      // PostgreSQL: a new, empty database on the same server; the dump brings its schema.
      const sourceDatabase = source.config.database;
      let newDatabase: EmptyPostgresDatabase | undefined;
      if (sourceDatabase.kind === 'postgres') {
        newDatabase = await createEmptyPostgresDatabase();
        env.DATABASE_URL = newDatabase.url;
        env.DATABASE_SCHEMA = sourceDatabase.schema;
      }
      try {
        await runByHandRestore({ cwd, dialect: source.ctx.database.dialect, env });

        // The product, started on what the commands produced (local disk for the objects).
        const config = loadConfig({
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          SESSION_SECRET: randomBytes(32).toString('hex'),
          ...env,
        });
        const ctx = createContext(config);
        try {
          await migrateToLatest(ctx.database, config.database);
          const restored = { ctx };
          expect(await installationRows(restored)).toEqual(await installationRows(source));
          expect(await installationObjects(restored)).toEqual(await installationObjects(source));
          const app = await buildApp(ctx);
          try {
            const login = await app.inject({
              method: 'POST',
              url: '/api/auth/login',
              payload: { username: admin.username, password: admin.password },
            });
            expect(login.statusCode, login.body).toBe(200);
            expect(await ctx.services.auditService.verifyChain()).toBeNull();
            for (const p of portraits) {
              const page = await app.inject({ url: `/p/${p.slug}` });
              expect(page.statusCode).toBe(200);
              const video = await app.inject({ url: `/media/videos/${p.videoId}/video.mp4` });
              expect(video.statusCode).toBe(200);
            }
          } finally {
            await app.close();
          }
        } finally {
          await ctx.close();
        }
      } finally {
        await newDatabase?.drop();
      }
    },
  );

  it('refuses a non-empty installation without --force; with it takes a safety backup first', async () => {
    const target = await emptyInstallation(testBackend());
    targets.push(target);
    await target.createUser('operator', 'someone');
    const into = {
      database: target.ctx.database,
      databaseConfig: target.config.database,
      storage: target.ctx.storage,
    };
    const opened = await backups.open(backupId);
    await expect(
      restoreBackup(opened, into, {
        dryRun: false,
        force: false,
        safetyBackup: () => Promise.reject(new Error('no')),
      }),
    ).rejects.toThrow(RestoreRefused);
    expect(Object.keys(await installationObjects(target))).toEqual([]);

    const dry = await restoreBackup(opened, into, {
      dryRun: true,
      force: false,
      safetyBackup: () => Promise.reject(new Error('no')),
    });
    expect(dry.found.rows).toBeGreaterThan(0);
    expect(dry.rows.portraits).toBe(2);
    expect(Object.keys(await installationObjects(target))).toEqual([]);

    const safety = serviceOf(target);
    const report = await restoreBackup(opened, into, {
      dryRun: false,
      force: true,
      safetyBackup: async () => (await safety.create()).id,
    });
    expect(report.safetyBackup).toMatch(/^\d{8}T/);
    expect(await safety.verify(report.safetyBackup ?? '')).toEqual([]);
    await expectSameInstallation(target);
  }, 120_000);
});
