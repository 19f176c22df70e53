import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/infra/db/database.js';
import { parseStorageKey, type Storage } from '../../src/infra/storage/index.js';
import { runCli } from './cli.js';

/**
 * An installation as an operator makes one with the CLI: `migrate`, an admin `username`, and one
 * portrait's original, video and marker (random bytes) in `storage`. Returns those bytes by key.
 */
export async function seedCliInstallation(
  env: Record<string, string>,
  storage: Storage,
  username: string,
): Promise<Map<string, Buffer>> {
  const migrated = await runCli(['migrate'], env);
  expect(migrated.code, migrated.stderr).toBe(0);
  const user = await runCli(
    ['user', 'create', '--username', username, '--role', 'admin', '--password-stdin'],
    env,
    'river-lamp-clock-9\n',
  );
  expect(user.code, user.stderr).toBe(0);
  const id = randomBytes(4).toString('hex');
  const objects = new Map([
    [`portraits/${id}/original.jpg`, randomBytes(120_000)],
    [`videos/${id}/video.mp4`, randomBytes(250_000)],
    [`markers/${id}/marker.mind`, randomBytes(5_000)],
  ]);
  for (const [key, bytes] of objects) await storage.put(parseStorageKey(key), bytes);
  return objects;
}

/** The usernames of the database `databaseEnv` selects (DATABASE_URL…; `dataDir` for SQLite). */
export async function usernamesIn(
  databaseEnv: Record<string, string>,
  dataDir: string,
): Promise<string[]> {
  const db = createDatabase(loadConfig({ DATA_DIR: dataDir, ...databaseEnv }).database);
  try {
    const rows = await db.db.selectFrom('users').select('username').execute();
    return rows.map((r) => r.username).sort();
  } finally {
    await db.destroy();
  }
}
