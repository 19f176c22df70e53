import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import type { BackupSettings } from '../../src/config.js';
import { OBJECT_PREFIXES } from '../../src/modules/backup/backup.service.js';
import { appTables } from '../../src/modules/backup/database-rows.js';
import type { TestApp } from './app.js';
import { launchBrowser, ViewerSession } from './browser.js';
import { buildCameraFile, straightQuad } from './camera.js';
import { digestStream } from './storage.js';
import { fixturePortrait } from './studio.js';

export const BACKUP_PASSPHRASE = 'correct horse battery staple';

/** Backup settings for a test destination folder: encrypted, no retention rule, no schedule. */
export function backupSettings(
  dir: string,
  overrides: Partial<BackupSettings> = {},
): BackupSettings {
  return {
    dir,
    s3: undefined,
    encryption: 'age',
    passphrase: BACKUP_PASSPHRASE,
    recipients: [],
    keep: {
      last: undefined,
      days: undefined,
      daily: undefined,
      weekly: undefined,
      monthly: undefined,
    },
    schedule: undefined,
    ...overrides,
  };
}

/** Waits until no job is queued or running (the real runner of `t` must be started). */
export async function waitForJobs(t: TestApp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await t.ctx.database.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending.n} jobs still pending`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every row of every table, as JSON sorted within the table (dialect-independent). */
export async function installationRows(t: TestApp): Promise<Record<string, string[]>> {
  const db = t.ctx.database.db.withoutPlugins() as unknown as Kysely<unknown>;
  const result: Record<string, string[]> = {};
  for (const table of await appTables(db, t.ctx.database.dialect)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.id(table)}`.execute(db);
    result[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1))),
        ),
      )
      .sort();
  }
  return result;
}

/** SHA-256 of every stored object, by key. */
export async function installationObjects(t: TestApp): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const prefix of OBJECT_PREFIXES) {
    for await (const info of t.ctx.storage.list(prefix)) {
      result[info.key] = (await digestStream((await t.ctx.storage.get(info.key)).body)).sha256;
    }
  }
  return result;
}

/** The public page of a portrait served by `t` (listening) finds the print and plays the video. */
export async function expectPrintPlays(
  t: TestApp,
  portraitId: string,
  slug: string,
  workDir: string,
): Promise<void> {
  const address = t.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const detail = await t.ctx.database.db
    .selectFrom('portraits')
    .select(['width', 'height'])
    .where('id', '=', portraitId)
    .executeTakeFirstOrThrow();
  const camera = await buildCameraFile({
    dir: workDir,
    name: `print-${slug}`,
    print: await fixturePortrait(),
    corners: straightQuad({ width: 640, height: 480 }, detail.width / detail.height),
    noise: 4,
  });
  const browser = await launchBrowser(camera.path);
  try {
    const session = await ViewerSession.open(browser, `${baseUrl}/p/${slug}`);
    try {
      await session.start();
      await session.waitForMarkerFound(45_000);
      await session.waitFor('!window.__vertexViewer.video().paused', 10_000);
      const [first, second] = await session.videoTimes(1000);
      expect(second.currentTime).toBeGreaterThan(first.currentTime);
    } catch (error) {
      console.error(await session.diagnostics());
      throw error;
    } finally {
      await session.close();
    }
  } finally {
    await browser.close();
  }
}
