import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
export async function installationRows(t: Pick<TestApp, 'ctx'>): Promise<Record<string, string[]>> {
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
export async function installationObjects(
  t: Pick<TestApp, 'ctx'>,
): Promise<Record<string, string>> {
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

/** The shell blocks of docs/backup-restore.md marked `<!-- by-hand:NAME -->`, by name. */
function byHandBlocks(): Record<string, string> {
  const doc = readFileSync(path.join(import.meta.dirname, '../../docs/backup-restore.md'), 'utf8');
  const blocks: Record<string, string> = {};
  for (const m of doc.matchAll(/<!-- by-hand:(\w+) -->\s*```sh\n([\s\S]*?)```/g)) {
    blocks[m[1] ?? ''] = m[2] ?? '';
  }
  return blocks;
}

/**
 * Runs the documented by-hand restore for `dialect` in `cwd`, as an operator would: one bash
 * script under a pseudo-terminal (`script`), because `age` reads the passphrase from the
 * terminal only; the passphrase is typed into it. Resolves with the terminal's output.
 */
export async function runByHandRestore(options: {
  cwd: string;
  dialect: 'sqlite' | 'postgres';
  env: Record<string, string>;
}): Promise<string> {
  const blocks = byHandBlocks();
  const parts = ['unlock', 'files', options.dialect, 'finish'].map((name) => {
    const block = blocks[name];
    if (block === undefined) throw new Error(`docs/backup-restore.md has no by-hand:${name} block`);
    return block;
  });
  const file = path.join(options.cwd, 'by-hand.sh');
  writeFileSync(file, `set -euo pipefail\n${parts.join('\n')}`);
  const child = spawn('script', ['--quiet', '--return', '--command', `bash ${file}`, '/dev/null'], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.cwd, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.write(`${BACKUP_PASSPHRASE}\n`); // kept open: script ends the session at EOF
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end();
  if (code !== 0) throw new Error(`by-hand restore exited ${String(code)}:\n${output}`);
  return output;
}
