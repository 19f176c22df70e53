import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { BackupSettings, DatabaseConfig } from '../../config.js';
import type { Database } from '../../infra/db/database.js';
import type { Storage } from '../../infra/storage/index.js';
import type { Clock } from '../../shared/clock.js';
import { versionInfo } from '../../version.js';
import { checkDatabaseCopy, snapshotDatabase } from './database-snapshot.js';
import { ageSealer, plainSealer, type Sealer } from './sealer.js';

export interface BackupDeps {
  database: Database;
  databaseConfig: DatabaseConfig;
  storage: Storage;
  settings: BackupSettings;
  /** Names (never values) of the secrets this installation has set. */
  secretNames: string[];
  clock: Clock;
}

/** Every prefix under which the product stores objects the database refers to. */
const OBJECT_PREFIXES = ['portraits/', 'markers/', 'videos/', 'studio/'];

export interface FileSum {
  size: number;
  sha256: string;
}
export interface Manifest {
  format: 1;
  id: string;
  createdAt: string;
  product: { name: string; version: string };
  migration: string | null;
  dialect: 'sqlite' | 'postgres';
  encryption: 'age' | 'none';
  secretVariables: string[];
  database: FileSum;
  objects: ({ key: string } & FileSum)[];
}
export interface BackupSummary {
  id: string;
  createdAt: string | null;
  status: 'complete' | 'incomplete' | 'failed';
  bytes: number;
  objects: number;
}

export class BackupRefused extends Error {}

function backupId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function idTime(id: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : null;
}

/** Hashes and counts the plaintext passing through. */
function meter(): { stream: Transform; sum: () => FileSum } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, sum: () => ({ size, sha256: hash.digest('hex') }) };
}

/** Seals `source` into `target` via a temp name, synced, renamed only when complete. */
async function writeSealed(sealer: Sealer, source: Readable, target: string): Promise<FileSum> {
  const temp = `${path.dirname(target)}/.tmp-${randomBytes(6).toString('hex')}`;
  const measured = meter();
  try {
    const sealed = await sealer.seal(measured.stream);
    await Promise.all([
      pipeline(source, measured.stream),
      pipeline(sealed, createWriteStream(temp, { mode: 0o600 })),
    ]);
    const handle = await open(temp, 'r+');
    await handle.sync();
    await handle.close();
    await rename(temp, target);
    return measured.sum();
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Decrypts `file` as a stream and returns the plaintext's size and SHA-256 (optionally kept). */
async function sumSealed(sealer: Sealer, file: string, keepAs?: string): Promise<FileSum> {
  const measured = meter();
  const plain = await sealer.open(createReadStream(file));
  const sink =
    keepAs !== undefined
      ? createWriteStream(keepAs, { mode: 0o600 })
      : new Writable({
          write: (_c, _e, done) => {
            done();
          },
        });
  await pipeline(plain, measured.stream, sink);
  return measured.sum();
}

async function readSealedJson(sealer: Sealer, file: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  await pipeline(
    await sealer.open(createReadStream(file)),
    new Writable({
      write(chunk: Buffer, _e, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/** Backups into a local folder: objects once each by content, a database snapshot per backup. */
export function createBackupService(deps: BackupDeps) {
  const root = deps.settings.dir;
  const objectsDir = path.join(root, 'objects');
  const backupsDir = path.join(root, 'backups');

  async function sealer(): Promise<Sealer> {
    if (deps.settings.encryption === 'none') return plainSealer;
    if (deps.settings.passphrase === undefined) {
      throw new BackupRefused(
        'backups are encrypted: set BACKUP_PASSPHRASE (or BACKUP_PASSPHRASE_FILE), or BACKUP_ENCRYPTION=none to allow plain backups',
      );
    }
    await mkdir(root, { recursive: true, mode: 0o700 });
    return ageSealer(root, deps.settings.passphrase);
  }

  const files = (s: Sealer) => ({
    manifest: `manifest.json${s.suffix}`,
    database: `database${s.suffix}`,
  });
  const objectFile = (s: Sealer, sha256: string) => path.join(objectsDir, `${sha256}${s.suffix}`);

  async function readManifest(s: Sealer, id: string): Promise<Manifest> {
    const manifest = (await readSealedJson(
      s,
      path.join(backupsDir, id, files(s).manifest),
    )) as Partial<Manifest>;
    if (manifest.format !== 1 || manifest.id !== id || !Array.isArray(manifest.objects)) {
      throw new Error('not a backup manifest');
    }
    return manifest as Manifest;
  }

  async function ids(): Promise<string[]> {
    if (!existsSync(backupsDir)) return [];
    const entries = await readdir(backupsDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  }

  /** Objects already in the destination, by storage key (keys are never reused for new content). */
  async function knownObjects(s: Sealer): Promise<Map<string, FileSum>> {
    const known = new Map<string, FileSum>();
    for (const id of await ids()) {
      const manifest = await readManifest(s, id).catch(() => null);
      for (const object of manifest?.objects ?? []) {
        if (existsSync(objectFile(s, object.sha256))) known.set(object.key, object);
      }
    }
    return known;
  }

  async function latestMigration(): Promise<string | null> {
    const result = await sql<{
      name: string;
    }>`select name from kysely_migration order by name desc limit 1`.execute(deps.database.db);
    return result.rows[0]?.name ?? null;
  }

  return {
    async create(): Promise<{ id: string; copied: number; reused: number; bytes: number }> {
      const s = await sealer();
      const now = deps.clock.now();
      const id = backupId(now);
      const dir = path.join(backupsDir, id);
      await mkdir(objectsDir, { recursive: true, mode: 0o700 });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const known = await knownObjects(s);
      const objects: Manifest['objects'] = [];
      let copied = 0;
      for (const prefix of OBJECT_PREFIXES) {
        for await (const info of deps.storage.list(prefix)) {
          const previous = known.get(info.key);
          if (previous !== undefined && previous.size === info.size) {
            objects.push({ key: info.key, ...previous });
            continue;
          }
          // The name is the plaintext's SHA-256, known only once read: write to a temp name.
          const object = await deps.storage.get(info.key);
          const temp = path.join(objectsDir, `.incoming-${randomBytes(6).toString('hex')}`);
          const sum = await writeSealed(s, object.body, temp);
          const target = objectFile(s, sum.sha256);
          if (existsSync(target)) await rm(temp, { force: true });
          else await rename(temp, target);
          objects.push({ key: info.key, ...sum });
          copied += 1;
        }
      }
      const migration = await latestMigration();
      const work = await mkdtemp(path.join(os.tmpdir(), 'vertex-backup-'));
      let database: FileSum;
      try {
        const snapshot = path.join(work, 'snapshot');
        const target = path.join(dir, files(s).database);
        let streamed: FileSum | undefined;
        const mode = await snapshotDatabase(deps.databaseConfig, snapshot, async (dump) => {
          streamed = await writeSealed(s, dump, target);
        });
        database =
          mode === 'file'
            ? await writeSealed(s, createReadStream(snapshot), target)
            : (streamed as FileSum);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
      const manifest: Manifest = {
        format: 1,
        id,
        createdAt: now.toISOString(),
        product: { name: versionInfo.name, version: versionInfo.version },
        migration,
        dialect: deps.database.dialect,
        encryption: deps.settings.encryption,
        secretVariables: deps.secretNames,
        database,
        objects,
      };
      // Written last: its presence is what makes the backup complete.
      await writeSealed(
        s,
        Readable.from([JSON.stringify(manifest, null, 2)]),
        path.join(dir, files(s).manifest),
      );
      const bytes = database.size + objects.reduce((total, o) => total + o.size, 0);
      return { id, copied, reused: objects.length - copied, bytes };
    },

    async list(): Promise<BackupSummary[]> {
      const s = await sealer();
      const result: BackupSummary[] = [];
      for (const id of await ids()) {
        if (!existsSync(path.join(backupsDir, id, files(s).manifest))) {
          result.push({ id, createdAt: idTime(id), status: 'incomplete', bytes: 0, objects: 0 });
          continue;
        }
        try {
          const m = await readManifest(s, id);
          const bytes = m.database.size + m.objects.reduce((total, o) => total + o.size, 0);
          result.push({
            id,
            createdAt: m.createdAt,
            status: 'complete',
            bytes,
            objects: m.objects.length,
          });
        } catch {
          result.push({ id, createdAt: idTime(id), status: 'failed', bytes: 0, objects: 0 });
        }
      }
      return result;
    },

    /** Every problem found, each naming its file; empty when the backup is sound. */
    async verify(id: string): Promise<string[]> {
      const s = await sealer();
      const names = files(s);
      let manifest: Manifest;
      try {
        manifest = await readManifest(s, id);
      } catch (error) {
        return [`backups/${id}/${names.manifest}: ${(error as Error).message}`];
      }
      const problems: string[] = [];
      const check = async (label: string, file: string, expected: FileSum, keepAs?: string) => {
        try {
          const actual = await sumSealed(s, file, keepAs);
          if (actual.sha256 !== expected.sha256 || actual.size !== expected.size) {
            problems.push(`${label}: checksum mismatch`);
            return false;
          }
          return true;
        } catch (error) {
          problems.push(`${label}: ${(error as Error).message}`);
          return false;
        }
      };
      const work = await mkdtemp(path.join(os.tmpdir(), 'vertex-verify-'));
      try {
        const copy = path.join(work, 'database');
        const label = `backups/${id}/${names.database}`;
        if (
          await check(label, path.join(backupsDir, id, names.database), manifest.database, copy)
        ) {
          const problem = await checkDatabaseCopy(manifest.dialect, copy);
          if (problem !== null) problems.push(`${label}: ${problem}`);
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
      for (const object of manifest.objects) {
        const file = objectFile(s, object.sha256);
        const label = `objects/${path.basename(file)} (${object.key})`;
        if (!existsSync(file) || (await stat(file)).size === 0) problems.push(`${label}: missing`);
        else await check(label, file, object);
      }
      return problems;
    },
  };
}

export type BackupService = ReturnType<typeof createBackupService>;

/** The secrets an installation has set, by variable name, for the manifest. */
export function configuredSecretNames(config: {
  sessionSecret: string | undefined;
  admin: { password: string | undefined };
  database: DatabaseConfig;
  storage: {
    driver: string;
    secretAccessKey?: string | undefined;
    accessKeyId?: string | undefined;
  };
  redis: { url: string | undefined };
  backup: BackupSettings;
}): string[] {
  const names: string[] = [];
  if (config.sessionSecret !== undefined) names.push('SESSION_SECRET');
  if (config.admin.password !== undefined) names.push('ADMIN_PASSWORD');
  if (config.database.kind === 'postgres') names.push('DATABASE_URL');
  if (config.storage.accessKeyId !== undefined) names.push('S3_ACCESS_KEY_ID');
  if (config.storage.secretAccessKey !== undefined) names.push('S3_SECRET_ACCESS_KEY');
  if (config.redis.url !== undefined) names.push('REDIS_URL');
  if (config.backup.passphrase !== undefined) names.push('BACKUP_PASSPHRASE');
  return names;
}
