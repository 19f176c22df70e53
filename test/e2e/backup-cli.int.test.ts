import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/infra/db/database.js';
import { storageKey } from '../../src/infra/storage/index.js';
import {
  createBackupService,
  type BackupSummary,
} from '../../src/modules/backup/backup.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { BACKUP_PASSPHRASE } from '../support/backup.js';
import { seedCliInstallation, usernamesIn } from '../support/backup-cli.js';
import { CLI, ROOT, assertFreshBuild, runCli, storageEnv } from '../support/cli.js';
import {
  createEmptyPostgresDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../support/database.js';
import { installationStorage, patternStream, type TestStorage } from '../support/storage.js';

/**
 * `vertex-ar backup …` as an operator runs it: the built CLI, configured only by environment
 * variables, on the backend under test, into a local BACKUP_DIR.
 */
describe('vertex-ar backup (CLI)', () => {
  let database: TestDatabase;
  let storage: TestStorage;
  let work: string;
  let env: Record<string, string>;
  let first: string;
  let second: string;
  const dropDatabases: (() => Promise<void>)[] = [];

  const cli = async (args: string[], extra: Record<string, string> = {}) => {
    const result = await runCli(['backup', ...args], { ...env, ...extra });
    expect(result.stderr).not.toMatch(/^\s+at /m); // never a stack trace
    return result;
  };
  const listJson = async (extra: Record<string, string> = {}): Promise<BackupSummary[]> => {
    const listed = await cli(['list', '--json'], extra);
    expect(listed.code, listed.stderr).toBe(0);
    return JSON.parse(listed.stdout) as BackupSummary[];
  };
  const created = async (extra: Record<string, string> = {}) => {
    const result = await cli(['create'], extra);
    expect(result.code, result.stderr).toBe(0);
    const id = result.stdout.trim();
    expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    return { id, stderr: result.stderr };
  };
  const putObject = (key: string, bytes: Buffer) =>
    storage.storage.put(storageKey(...key.split('/')), bytes);
  const usernames = (databaseEnv: Record<string, string>) => usernamesIn(databaseEnv, work);
  const storedKeys = async (): Promise<string[]> => {
    const keys: string[] = [];
    for (const prefix of ['portraits/', 'videos/', 'markers/', 'studio/']) {
      for await (const info of storage.storage.list(prefix)) keys.push(info.key);
    }
    return keys.sort();
  };

  beforeAll(async () => {
    assertFreshBuild();
    database = await createTestDatabase();
    work = mkdtempSync(path.join(os.tmpdir(), 'vertex-backup-cli-'));
    storage = await installationStorage(path.join(work, 'data'));
    env = {
      DATA_DIR: path.join(work, 'data'),
      BCRYPT_COST: '4',
      BACKUP_DIR: path.join(work, 'backups'),
      BACKUP_PASSPHRASE,
      ...database.env,
      ...storageEnv(storage.config),
    };
    await seedCliInstallation(env, storage.storage, 'owner');
  });

  afterAll(async () => {
    await storage.cleanup();
    await database.cleanup();
    for (const drop of dropDatabases) await drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('create prints the id; list --json describes it; list shows schedule and retention', async () => {
    const result = await created();
    first = result.id;
    expect(result.stderr).toContain('not off-site');
    expect(result.stderr).toContain('3 objects copied');

    const backups = await listJson();
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ id: first, status: 'complete', objects: 3 });
    expect(Date.parse(backups[0]?.createdAt ?? '')).not.toBeNaN();
    expect(Object.keys(backups[0] ?? {}).sort()).toEqual([
      'bytes',
      'createdAt',
      'id',
      'objects',
      'status',
    ]);
    expect(backups[0]?.bytes).toBeGreaterThan(375_000);

    const text = await cli(['list'], { BACKUP_KEEP_LAST: '7', BACKUP_SCHEDULE: '0 3 * * *' });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^Schedule: 0 3 \* \* \*/m);
    expect(text.stderr).toMatch(/^Retention: .*7/m);
    expect(text.stdout).toContain(`${first}  complete  3 objects`);
  });

  it('a second backup after adding one portrait copies exactly its objects', async () => {
    const id = randomBytes(4).toString('hex');
    await putObject(`portraits/${id}/original.jpg`, randomBytes(90_000));
    await putObject(`portraits/${id}/display.jpg`, randomBytes(40_000));
    const result = await created();
    second = result.id;
    expect(result.stderr).toContain('2 objects copied, 3 already held');
    const verified = await cli(['verify', second]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stderr).toContain('verified');
  });

  it('a flipped byte in any backup file fails verify, naming the file', async () => {
    const dir = env.BACKUP_DIR ?? '';
    const objectsDir = path.join(dir, 'objects');
    const anObject = (readdirSync(objectsDir, { recursive: true }) as string[])
      .map((name) => path.join('objects', name))
      .find((name) => name.endsWith('.age'));
    if (anObject === undefined) throw new Error('no object file');
    const files = [
      `backups/${second}/manifest.json.age`,
      `backups/${second}/database.age`,
      `backups/${second}/rows.jsonl.age`,
      anObject,
    ];
    const withFlippedByte = async (file: string, check: (stderr: string) => void) => {
      const full = path.join(dir, file);
      const original = readFileSync(full);
      const flipped = Buffer.from(original);
      const at = original.length - 40; // inside the last encrypted chunk
      flipped[at] = (flipped[at] ?? 0) ^ 0x01;
      writeFileSync(full, flipped);
      try {
        const result = await cli(['verify', second]);
        expect(result.code, `${file}: ${result.stderr}`).toBe(1);
        check(result.stderr);
      } finally {
        writeFileSync(full, original);
      }
    };
    for (const file of files) {
      await withFlippedByte(file, (stderr) => {
        expect(stderr).toContain(`FAILED ${file}`);
      });
    }
    // The destination key: nothing can be decrypted, and the message names the key file.
    await withFlippedByte('identity.age', (stderr) => {
      expect(stderr).toContain('identity.age');
    });
    expect((await cli(['verify', second])).code).toBe(0);
  });

  it('a wrong passphrase fails clearly', async () => {
    for (const command of [['list'], ['verify', second], ['create']]) {
      const result = await cli(command, { BACKUP_PASSPHRASE: 'not the passphrase' });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/wrong passphrase/);
      expect(result.stderr).not.toContain('fatal');
    }
    expect((await listJson()).map((b) => b.status)).toEqual(['complete', 'complete']);
  });

  it('restore: --dry-run writes nothing, a non-empty target needs --force, which takes a safety backup', async () => {
    const keysBefore = await storedKeys();
    const usersBefore = await usernames(database.env);
    expect(keysBefore).toHaveLength(5);

    const dry = await cli(['restore', first, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('Dry run');
    expect(dry.stderr).toContain('needs --force');
    expect(await storedKeys()).toEqual(keysBefore);
    expect(await usernames(database.env)).toEqual(usersBefore);
    expect(await listJson()).toHaveLength(2);

    const refused = await cli(['restore', first]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(await storedKeys()).toEqual(keysBefore);

    // Replaces the installation by the first backup: the later portrait's objects go.
    const forced = await cli(['restore', first, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    const safety = /Safety backup of what was there: (\S+)/.exec(forced.stderr)?.[1];
    expect(safety).toBeDefined();
    expect(forced.stderr).toContain(`Restored backup ${first}`);
    expect(await storedKeys()).toHaveLength(3);
    expect(await usernames(database.env)).toEqual(usersBefore);
    const listed = await listJson();
    expect(listed.find((b) => b.id === safety)).toMatchObject({ status: 'complete', objects: 5 });
    expect((await cli(['verify', safety ?? ''])).code).toBe(0);
  }, 60_000);

  it('restore --target-database-url restores into a fresh empty database', async () => {
    let target: Record<string, string>;
    if (database.config.kind === 'sqlite') {
      target = { DATABASE_URL: `sqlite:${path.join(work, 'target', 'new.sqlite')}` };
    } else {
      // Another database of the same server; the dump's schema is DATABASE_SCHEMA of the env.
      const empty = await createEmptyPostgresDatabase();
      dropDatabases.push(empty.drop);
      target = {
        DATABASE_URL: empty.url,
        DATABASE_SCHEMA: database.env.DATABASE_SCHEMA ?? '',
      };
    }
    const result = await cli([
      'restore',
      first,
      '--target-database-url',
      target.DATABASE_URL ?? '',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Safety backup');
    expect(await usernames(target)).toEqual(await usernames(database.env));
  }, 60_000);

  it('prune with BACKUP_KEEP_LAST=1 after three creates keeps the newest, whose objects remain', async () => {
    const dest = { BACKUP_DIR: path.join(work, 'prune') };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await created(dest)).id);
    const pruned = await cli(['prune'], { ...dest, BACKUP_KEEP_LAST: '1' });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stderr).toContain('Pruned 2 backups');
    for (const id of ids.slice(0, 2)) expect(pruned.stderr).toContain(`Deleted backup ${id}`);
    expect((await listJson(dest)).map((b) => [b.id, b.status])).toEqual([[ids[2], 'complete']]);
    const verified = await cli(['verify', ids[2] ?? ''], dest);
    expect(verified.code, verified.stderr).toBe(0);
  }, 60_000);

  it('kill -9 during create leaves no complete backup; the next create copies everything again and verifies', async () => {
    const dest = { BACKUP_DIR: path.join(work, 'killed') };
    const big = randomBytes(4).toString('hex');
    for (let i = 0; i < 30; i++) {
      await storage.storage.put(
        storageKey('videos', `${big}${String(i).padStart(2, '0')}`, 'video.mp4'),
        patternStream(i + 1, 8 * 1024 * 1024),
      );
    }
    const objectsDir = path.join(dest.BACKUP_DIR, 'objects');
    const objectFiles = () =>
      existsSync(objectsDir)
        ? (readdirSync(objectsDir, { recursive: true }) as string[]).filter((n) =>
            n.endsWith('.age'),
          )
        : [];
    const child = spawn(process.execPath, [CLI, 'backup', 'create'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env, ...dest },
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      child.once('exit', (_code, signal) => {
        resolve(signal);
      });
    });
    const deadline = Date.now() + 60_000;
    while (objectFiles().length < 3) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error('create did not get going');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const killedFolders = readdirSync(path.join(dest.BACKUP_DIR, 'backups'));
    expect(killedFolders).toHaveLength(1);
    const killed = killedFolders[0] ?? '';
    expect(objectFiles().length).toBeLessThan(33);

    const afterKill = await listJson(dest);
    expect(afterKill.filter((b) => b.status === 'complete')).toEqual([]);
    expect(afterKill.map((b) => [b.id, b.status])).toEqual([[killed, 'incomplete']]);

    // Nothing the killed run wrote is trusted: every object is copied (and checked) again.
    const next = await created(dest);
    expect(next.stderr).toContain('33 objects copied, 0 already held');
    const verified = await cli(['verify', next.id], dest);
    expect(verified.code, verified.stderr).toBe(0);
    const listed = await listJson(dest);
    expect(listed.find((b) => b.id === next.id)).toMatchObject({ status: 'complete', objects: 33 });
    expect(listed.find((b) => b.id === killed)?.status).toBe('incomplete');

    // The leftovers go once they are older than staleAfterMs (here: at once).
    const config = loadConfig({ ...env, ...dest });
    const db = createDatabase(config.database);
    try {
      const service = createBackupService({
        database: db,
        databaseConfig: config.database,
        storage: storage.storage,
        settings: config.backup,
        secretNames: [],
        clock: systemClock,
        staleAfterMs: 0,
      });
      const cleaned = await service.create();
      expect(cleaned.copied).toBe(0);
      expect(readdirSync(path.join(dest.BACKUP_DIR, '.tmp'))).toEqual([]);
      expect(existsSync(path.join(dest.BACKUP_DIR, 'backups', killed))).toBe(false);
      expect((await service.list()).map((b) => [b.id, b.status])).toEqual([
        [next.id, 'complete'],
        [cleaned.id, 'complete'],
      ]);
    } finally {
      await db.destroy();
    }
  }, 180_000);
});
