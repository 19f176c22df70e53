import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseStorageKey,
  storageKey,
  type Storage,
  type StorageConfig,
} from '../../src/infra/storage/index.js';
import { OBJECT_PREFIXES, type BackupSummary } from '../../src/modules/backup/backup.service.js';
import { BACKUP_PASSPHRASE } from '../support/backup.js';
import { seedCliInstallation, usernamesIn } from '../support/backup-cli.js';
import { assertFreshBuild, runCli, storageEnv } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  createS3TestStorage,
  installationStorage,
  readAll,
  type TestStorage,
} from '../support/storage.js';

/** Where the backups go inside the destination bucket. */
const PREFIX = 'vertex/backups';

/** BACKUP_S3_* selecting `bucket` under PREFIX: the S3_* an operator sets, renamed. */
function backupS3Env(bucket: StorageConfig): Record<string, string> {
  const entries = Object.entries(storageEnv(bucket)).filter(([name]) => name.startsWith('S3_'));
  return {
    ...Object.fromEntries(entries.map(([name, value]) => [`BACKUP_${name}`, value])),
    BACKUP_S3_PREFIX: PREFIX,
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * `vertex-ar backup …` into an S3-compatible destination (BACKUP_S3_*, no BACKUP_DIR): the built
 * CLI against the Ceph radosgw the suite runs, on the backend under test. Create, incremental
 * create, verify (and a flipped byte in the bucket), restore into an empty installation, prune.
 */
describe.skipIf(process.env.S3_ENDPOINT === undefined)('vertex-ar backup to S3 (CLI)', () => {
  let database: TestDatabase;
  let storage: TestStorage;
  let destination: Storage;
  let work: string;
  let env: Record<string, string>;
  let first: string;
  let second: string;
  /** What was put into the installation storage, by key. */
  const originals = new Map<string, Buffer>();
  const cleanups: (() => Promise<void>)[] = [];

  const cli = async (args: string[], extra: Record<string, string> = {}) => {
    const result = await runCli(['backup', ...args], { ...env, ...extra });
    expect(result.stderr).not.toMatch(/^\s+at /m); // never a stack trace
    return result;
  };
  const listJson = async (): Promise<BackupSummary[]> => {
    const listed = await cli(['list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    return JSON.parse(listed.stdout) as BackupSummary[];
  };
  const created = async () => {
    const result = await cli(['create']);
    expect(result.code, result.stderr).toBe(0);
    const id = result.stdout.trim();
    expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(result.stderr).not.toContain('not off-site');
    return { id, stderr: result.stderr };
  };
  const putObject = async (key: string, bytes: Buffer) => {
    await storage.storage.put(parseStorageKey(key), bytes);
    originals.set(key, bytes);
  };
  /** Every key of the destination bucket (the prefix included). */
  const bucketKeys = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const info of destination.list('')) keys.push(info.key);
    return keys.sort();
  };

  const usernames = (databaseEnv: Record<string, string>) => usernamesIn(databaseEnv, work);

  beforeAll(async () => {
    assertFreshBuild();
    database = await createTestDatabase();
    cleanups.push(() => database.cleanup());
    work = mkdtempSync(path.join(os.tmpdir(), 'vertex-backup-s3-'));
    cleanups.push(() => {
      rmSync(work, { recursive: true, force: true });
      return Promise.resolve();
    });
    storage = await installationStorage(path.join(work, 'data'));
    cleanups.push(() => storage.cleanup());
    // The destination: a bucket of its own on radosgw, apart from any media bucket.
    const dest = await createS3TestStorage();
    destination = dest.storage;
    cleanups.push(() => dest.cleanup());
    env = {
      DATA_DIR: path.join(work, 'data'),
      BCRYPT_COST: '4',
      BACKUP_PASSPHRASE,
      ...backupS3Env(dest.config),
      ...database.env,
      ...storageEnv(storage.config),
    };
    for (const [key, bytes] of await seedCliInstallation(env, storage.storage, 's3-owner')) {
      originals.set(key, bytes);
    }
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('create writes an encrypted backup under the prefix of the destination bucket', async () => {
    const result = await created();
    first = result.id;
    expect(result.stderr).toContain('3 objects copied, 0 already held');

    const backups = await listJson();
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ id: first, status: 'complete', objects: 3 });
    expect(backups[0]?.bytes).toBeGreaterThan(375_000);

    const text = await cli(['list']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain(`Destination: s3://${env.BACKUP_S3_BUCKET ?? ''}/${PREFIX}`);

    const keys = await bucketKeys();
    for (const key of keys) {
      expect(key.startsWith(`${PREFIX}/`), key).toBe(true);
      expect(key.endsWith('.age'), key).toBe(true);
    }
    expect(keys).toContain(`${PREFIX}/identity.age`);
    for (const file of ['manifest.json.age', 'database.age', 'rows.jsonl.age']) {
      expect(keys).toContain(`${PREFIX}/backups/${first}/${file}`);
    }
    const objectFiles = keys.filter((k) => k.startsWith(`${PREFIX}/objects/`));
    expect(objectFiles.sort()).toEqual(
      [...originals.keys()].map((k) => `${PREFIX}/objects/${k}.age`).sort(),
    );

    // Nothing readable: no run of an object's bytes, no username, in any file of the bucket.
    for (const key of keys) {
      const stored = await readAll((await destination.get(parseStorageKey(key))).body);
      for (const [objectKey, bytes] of originals) {
        for (const at of [0, Math.floor(bytes.length / 2), bytes.length - 32]) {
          const run = bytes.subarray(at, at + 32);
          expect(stored.includes(run), `${key} holds plaintext of ${objectKey}`).toBe(false);
        }
      }
      expect(stored.includes(Buffer.from('s3-owner')), `${key} holds a username`).toBe(false);
    }

    // The installation's own storage holds no backup file.
    for await (const info of storage.storage.list('')) {
      expect(
        OBJECT_PREFIXES.some((p) => info.key.startsWith(p)),
        info.key,
      ).toBe(true);
    }
  });

  it('a second create copies only the new object', async () => {
    await putObject(`portraits/${randomBytes(4).toString('hex')}/display.jpg`, randomBytes(40_000));
    const result = await created();
    second = result.id;
    expect(result.stderr).toContain('1 objects copied, 3 already held');
    const backups = await listJson();
    expect(backups.map((b) => [b.id, b.status, b.objects])).toEqual([
      [first, 'complete', 3],
      [second, 'complete', 4],
    ]);
  });

  it('verify passes; a flipped byte in an object file of the bucket fails it, naming the file', async () => {
    const verified = await cli(['verify', second]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stderr).toContain(`Backup ${second} verified`);

    const objectKey = (await bucketKeys()).find((k) => k.startsWith(`${PREFIX}/objects/`));
    if (objectKey === undefined) throw new Error('no object file in the bucket');
    const file = objectKey.slice(PREFIX.length + 1);
    const original = await readAll((await destination.get(parseStorageKey(objectKey))).body);
    const flipped = Buffer.from(original);
    const at = original.length - 40; // inside the last encrypted chunk
    flipped[at] = (flipped[at] ?? 0) ^ 0x01;
    await destination.put(parseStorageKey(objectKey), flipped);
    try {
      const failed = await cli(['verify', second]);
      expect(failed.code, failed.stderr).toBe(1);
      expect(failed.stderr).toContain(`FAILED ${file}`);
    } finally {
      await destination.put(parseStorageKey(objectKey), original);
    }
    const again = await cli(['verify', second]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('restore from the bucket into an empty installation gives the same users and objects', async () => {
    const target = await createTestDatabase();
    cleanups.push(() => target.cleanup());
    const targetDataDir = path.join(work, 'target');
    const targetStorage = await installationStorage(targetDataDir);
    cleanups.push(() => targetStorage.cleanup());
    const targetEnv = {
      DATA_DIR: targetDataDir,
      ...target.env,
      ...storageEnv(targetStorage.config),
    };

    const result = await cli(['restore', second], targetEnv);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Safety backup');
    expect(result.stderr).toContain(`Restored backup ${second}`);
    expect(result.stderr).toContain('4 objects');

    expect(await usernames(target.env)).toEqual(['s3-owner']);
    expect(await usernames(target.env)).toEqual(await usernames(database.env));
    const restored = new Map<string, string>();
    for (const prefix of OBJECT_PREFIXES) {
      for await (const info of targetStorage.storage.list(prefix)) {
        const bytes = await readAll((await targetStorage.storage.get(info.key)).body);
        restored.set(info.key, sha256(bytes));
      }
    }
    expect(Object.fromEntries(restored)).toEqual(
      Object.fromEntries([...originals].map(([key, bytes]) => [key, sha256(bytes)])),
    );
  }, 60_000);

  it('prune with BACKUP_KEEP_LAST=1 deletes the first backup; the second still verifies', async () => {
    const pruned = await cli(['prune'], { BACKUP_KEEP_LAST: '1' });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stderr).toContain(`Deleted backup ${first}`);
    expect(pruned.stderr).toContain('Pruned 1 backups and 0 objects'); // the second needs all
    expect((await listJson()).map((b) => [b.id, b.status])).toEqual([[second, 'complete']]);
    const keys = await bucketKeys();
    expect(keys.filter((k) => k.startsWith(`${PREFIX}/backups/${first}/`))).toEqual([]);
    expect(keys).toContain(`${PREFIX}/${storageKey('backups', second, 'manifest.json.age')}`);
    expect(keys.filter((k) => k.startsWith(`${PREFIX}/objects/`))).toHaveLength(4);
    const verified = await cli(['verify', second]);
    expect(verified.code, verified.stderr).toBe(0);
  });
});
