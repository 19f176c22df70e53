import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { sql } from 'kysely';
import type { BackupSettings, DatabaseConfig } from '../../config.js';
import type { Database } from '../../infra/db/database.js';
import {
  parseStorageKey,
  type Storage,
  type StorageKey,
  type StoredObjectInfo,
} from '../../infra/storage/index.js';
import type { Clock } from '../../shared/clock.js';
import { versionInfo } from '../../version.js';
import { checkDatabaseCopy, snapshotDatabase } from './database-snapshot.js';
import { createDestination } from './destination.js';
import {
  BACKUP_ID,
  backupIdAt,
  idTime,
  layout,
  parseManifest,
  type Manifest,
  type ManifestObject,
} from './layout.js';
import { backupsToKeep } from './retention.js';
import { ageSealer, IDENTITY_FILE, plainSealer, type Sealer } from './sealer.js';
import { discard, meter, readAll, sameSum, type FileSum } from './streams.js';

export interface BackupDeps {
  database: Database;
  databaseConfig: DatabaseConfig;
  storage: Storage;
  settings: BackupSettings;
  /** Names (never values) of the secrets this installation has set. */
  secretNames: string[];
  /** The non-secret settings (`config.settings`), kept in the manifest. */
  configuration?: Record<string, string>;
  clock: Clock;
  /** Leftovers of an interrupted run older than this are removed (default 15 minutes). */
  staleAfterMs?: number;
}

/** Every prefix under which the product stores objects the database refers to. */
export const OBJECT_PREFIXES = ['portraits/', 'markers/', 'videos/', 'studio/'];

export interface BackupSummary {
  id: string;
  createdAt: string | null;
  status: 'complete' | 'incomplete' | 'failed';
  bytes: number;
  objects: number;
}

export interface BackupProgress {
  phase: 'database' | 'objects' | 'manifest';
  done: number;
  total: number;
}

export interface CreatedBackup {
  id: string;
  copied: number;
  reused: number;
  bytes: number;
  durationMs: number;
}

/** A complete backup opened for reading: its manifest and its files, decrypted. */
export interface OpenedBackup {
  manifest: Manifest;
  /** The plaintext of a destination file, streamed (checksums are the caller's to check). */
  open(file: string): Promise<Readable>;
}

export class BackupRefused extends Error {}

const STALE_MS = 15 * 60_000;

export const manifestBytes = (m: Manifest) =>
  m.database.size + m.rows.size + m.objects.reduce((total, o) => total + o.size, 0);

/** Backups into a destination: objects once each, both database copies per backup. */
export function createBackupService(deps: BackupDeps) {
  const destination = createDestination(deps.settings);
  const staleMs = deps.staleAfterMs ?? STALE_MS;

  async function sealer(): Promise<Sealer> {
    if (deps.settings.encryption === 'none') return plainSealer;
    if (deps.settings.passphrase === undefined) {
      throw new BackupRefused(
        'backups are encrypted: set BACKUP_PASSPHRASE (or BACKUP_PASSPHRASE_FILE), or BACKUP_ENCRYPTION=none to allow plain backups',
      );
    }
    return ageSealer(destination, deps.settings.passphrase, deps.settings.recipients);
  }

  /** Seals `source` into `file`; the destination's put is atomic (never a partial file). */
  async function writeSealed(s: Sealer, source: Readable, file: StorageKey): Promise<FileSum> {
    const measured = meter();
    const sealed = await s.seal(measured.stream);
    await Promise.all([pipeline(source, measured.stream), destination.put(file, sealed)]);
    return measured.sum();
  }

  async function openSealed(s: Sealer, file: string): Promise<Readable> {
    return s.open((await destination.get(parseStorageKey(file))).body);
  }

  async function readManifest(s: Sealer, id: string): Promise<Manifest> {
    const text = await readAll(await openSealed(s, layout(s.suffix).manifest(id)));
    return parseManifest(JSON.parse(text.toString('utf8')), id);
  }

  async function listAll(prefix: string): Promise<StoredObjectInfo[]> {
    const found: StoredObjectInfo[] = [];
    for await (const info of destination.list(prefix)) found.push(info);
    return found;
  }

  /** Backup ids with the files under each. */
  async function backupFolders(): Promise<Map<string, StoredObjectInfo[]>> {
    const folders = new Map<string, StoredObjectInfo[]>();
    for (const info of await listAll('backups/')) {
      const id = info.key.split('/')[1] ?? '';
      folders.set(id, [...(folders.get(id) ?? []), info]);
    }
    return new Map([...folders].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  async function completeManifests(s: Sealer): Promise<Manifest[]> {
    const manifests: Manifest[] = [];
    for (const id of (await backupFolders()).keys()) {
      const manifest = await readManifest(s, id).catch(() => null);
      if (manifest !== null) manifests.push(manifest);
    }
    return manifests;
  }

  /**
   * Leftovers of an interrupted run (kill -9): temp files of the local destination and backups
   * without a manifest, once older than `staleMs` (younger ones may be a run still going).
   */
  async function cleanUp(s: Sealer): Promise<void> {
    const cutoff = deps.clock.now().getTime() - staleMs;
    if (deps.settings.s3 === undefined) {
      const temp = path.join(deps.settings.dir, '.tmp');
      for (const name of await readdir(temp).catch(() => [])) {
        const file = path.join(temp, name);
        const info = await stat(file).catch(() => null);
        if (info !== null && info.mtimeMs <= cutoff) await rm(file, { force: true });
      }
    }
    for (const [id, files] of await backupFolders()) {
      const time = Date.parse(idTime(id) ?? '');
      const hasManifest = files.some((f) => f.key === layout(s.suffix).manifest(id));
      if (!hasManifest && !(time > cutoff)) await destination.deletePrefix(`backups/${id}/`);
    }
  }

  async function latestMigration(): Promise<string | null> {
    const result = await sql<{
      name: string;
    }>`select name from kysely_migration order by name desc limit 1`.execute(deps.database.db);
    return result.rows[0]?.name ?? null;
  }

  async function sourceObjects(): Promise<StoredObjectInfo[]> {
    const found: StoredObjectInfo[] = [];
    for (const prefix of OBJECT_PREFIXES) {
      for await (const info of deps.storage.list(prefix)) found.push(info);
    }
    return found;
  }

  return {
    destination,

    async create(
      options: { onProgress?: (progress: BackupProgress) => void } = {},
    ): Promise<CreatedBackup> {
      const progress = options.onProgress ?? (() => undefined);
      const s = await sealer();
      const files = layout(s.suffix);
      const started = deps.clock.now();
      const id = backupIdAt(started, randomBytes(3).toString('hex'));
      await cleanUp(s);

      // The database first: objects listed afterwards include everything its rows refer to.
      progress({ phase: 'database', done: 0, total: 1 });
      const migration = await latestMigration();
      const work = await mkdtemp(path.join(os.tmpdir(), 'vertex-backup-'));
      let copies: { native: FileSum; rows: FileSum };
      try {
        copies = await snapshotDatabase(deps.database, deps.databaseConfig, work, {
          native: (dump) => writeSealed(s, dump, files.database(id)),
          rows: (rows) => writeSealed(s, rows, files.rows(id)),
        });
      } finally {
        await rm(work, { recursive: true, force: true });
      }
      progress({ phase: 'database', done: 1, total: 1 });

      // Objects are immutable under their key; a key whose size or time changed (the studio
      // logo) is copied again under a new file name so earlier backups keep theirs.
      const known = new Map<string, ManifestObject>();
      for (const m of await completeManifests(s)) for (const o of m.objects) known.set(o.key, o);
      const held = new Set((await listAll('objects/')).map((info) => info.key as string));
      const source = await sourceObjects();
      const objects: ManifestObject[] = [];
      let copied = 0;
      for (const info of source) {
        progress({ phase: 'objects', done: objects.length, total: source.length });
        const modified = info.lastModified?.toISOString() ?? null;
        const previous = known.get(info.key);
        if (
          previous !== undefined &&
          held.has(previous.file) &&
          previous.size === info.size &&
          previous.modified === modified
        ) {
          objects.push(previous);
          continue;
        }
        const file =
          previous === undefined
            ? files.object(info.key)
            : files.object(info.key, randomBytes(4).toString('hex'));
        const sum = await writeSealed(s, (await deps.storage.get(info.key)).body, file);
        objects.push({ key: info.key, file, modified, ...sum });
        copied += 1;
      }

      progress({ phase: 'manifest', done: 0, total: 1 });
      const durationMs = deps.clock.now().getTime() - started.getTime();
      const manifest: Manifest = {
        format: 1,
        id,
        createdAt: started.toISOString(),
        product: { name: versionInfo.name, version: versionInfo.version },
        migration,
        dialect: deps.database.dialect,
        encryption: deps.settings.encryption,
        secretVariables: deps.secretNames,
        configuration: deps.configuration ?? {},
        database: { file: files.database(id), ...copies.native },
        rows: { file: files.rows(id), ...copies.rows },
        objects,
        durationMs,
      };
      // Written last: its presence is what makes the backup complete.
      await writeSealed(s, Readable.from([JSON.stringify(manifest, null, 2)]), files.manifest(id));
      progress({ phase: 'manifest', done: 1, total: 1 });
      return {
        id,
        copied,
        reused: objects.length - copied,
        bytes: manifestBytes(manifest),
        durationMs,
      };
    },

    async list(): Promise<BackupSummary[]> {
      const s = await sealer();
      const result: BackupSummary[] = [];
      for (const [id, folder] of await backupFolders()) {
        const summary = { id, createdAt: idTime(id), bytes: 0, objects: 0 };
        if (!folder.some((f) => f.key === layout(s.suffix).manifest(id))) {
          result.push({ ...summary, status: 'incomplete' });
          continue;
        }
        try {
          const m = await readManifest(s, id);
          result.push({
            id,
            createdAt: m.createdAt,
            status: 'complete',
            bytes: manifestBytes(m),
            objects: m.objects.length,
          });
        } catch {
          result.push({ ...summary, status: 'failed' });
        }
      }
      return result;
    },

    /** Every problem found, each naming its file; empty when the backup is sound. */
    async verify(id: string): Promise<string[]> {
      const s = await sealer();
      let manifest: Manifest;
      try {
        manifest = await readManifest(s, id);
      } catch (error) {
        return [`${layout(s.suffix).manifest(id)}: ${(error as Error).message}`];
      }
      const problems: string[] = [];
      const check = async (
        label: string,
        file: string,
        expected: FileSum,
        keepAs?: string,
      ): Promise<boolean> => {
        try {
          const measured = meter();
          const sink =
            keepAs === undefined ? discard() : createWriteStream(keepAs, { mode: 0o600 });
          await pipeline(await openSealed(s, file), measured.stream, sink);
          if (sameSum(measured.sum(), expected)) return true;
          problems.push(`${label}: checksum mismatch`);
        } catch (error) {
          problems.push(`${label}: ${(error as Error).message}`);
        }
        return false;
      };
      const work = await mkdtemp(path.join(os.tmpdir(), 'vertex-verify-'));
      try {
        const copy = path.join(work, 'database');
        const { file } = manifest.database;
        if (await check(file, file, manifest.database, copy)) {
          const problem = await checkDatabaseCopy(manifest.dialect, copy);
          if (problem !== null) problems.push(`${file}: ${problem}`);
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
      await check(manifest.rows.file, manifest.rows.file, manifest.rows);
      for (const object of manifest.objects) {
        await check(`${object.file} (${object.key})`, object.file, object);
      }
      return problems;
    },

    /** A complete backup for reading (restore); throws when its manifest does not decrypt. */
    async open(id: string): Promise<OpenedBackup> {
      const s = await sealer();
      const manifest = await readManifest(s, id);
      return { manifest, open: (file) => openSealed(s, file) };
    },

    /** Every stored file a backup needs, as kept in the destination (for a download). */
    async files(id: string): Promise<{ name: string; size: number }[]> {
      const s = await sealer();
      const m = await readManifest(s, id);
      const wanted = [
        ...(s.suffix === '' ? [] : [IDENTITY_FILE as string]),
        layout(s.suffix).manifest(id) as string,
        m.database.file,
        m.rows.file,
        ...m.objects.map((o) => o.file),
      ];
      const result: { name: string; size: number }[] = [];
      for (const name of wanted) {
        const info = await destination.head(parseStorageKey(name));
        if (info === null) throw new Error(`${name} is missing from the backup destination`);
        result.push({ name, size: info.size });
      }
      return result;
    },

    async read(name: string): Promise<Readable> {
      return (await destination.get(parseStorageKey(name))).body;
    },

    /** Deletes one backup; the objects only it referred to go at the next `prune`. */
    async delete(id: string): Promise<boolean> {
      if (!BACKUP_ID.test(id)) return false;
      return (await destination.deletePrefix(`backups/${id}/`)) > 0;
    },

    /**
     * Deletes the backups retention does not keep, then every object no kept backup refers to
     * (objects younger than `staleMs` are spared: a running `create` may not have listed them yet).
     */
    async prune(): Promise<{ deleted: string[]; objectsDeleted: number }> {
      const s = await sealer();
      const backups = (await this.list()).map((b) => ({
        ...b,
        createdAt: b.createdAt ?? new Date(0).toISOString(),
      }));
      const keep = backupsToKeep(backups, deps.settings.keep, deps.clock.now());
      const deleted = backups.filter((b) => !keep.has(b.id)).map((b) => b.id);
      for (const id of deleted) await destination.deletePrefix(`backups/${id}/`);
      const referenced = new Set<string>();
      for (const m of await completeManifests(s)) for (const o of m.objects) referenced.add(o.file);
      const cutoff = deps.clock.now().getTime() - staleMs;
      let objectsDeleted = 0;
      for (const info of await listAll('objects/')) {
        const young = (info.lastModified?.getTime() ?? 0) > cutoff;
        if (referenced.has(info.key) || young) continue;
        await destination.delete(info.key);
        objectsDeleted += 1;
      }
      return { deleted, objectsDeleted };
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
  metrics?: { token: string | undefined };
  sentry?: unknown;
  mail?: unknown;
}): string[] {
  const names: string[] = [];
  if (config.sessionSecret !== undefined) names.push('SESSION_SECRET');
  if (config.admin.password !== undefined) names.push('ADMIN_PASSWORD');
  if (config.database.kind === 'postgres') names.push('DATABASE_URL');
  if (config.storage.accessKeyId !== undefined) names.push('S3_ACCESS_KEY_ID');
  if (config.storage.secretAccessKey !== undefined) names.push('S3_SECRET_ACCESS_KEY');
  if (config.redis.url !== undefined) names.push('REDIS_URL');
  if (config.backup.passphrase !== undefined) names.push('BACKUP_PASSPHRASE');
  if (config.backup.s3?.secretAccessKey !== undefined) names.push('BACKUP_S3_SECRET_ACCESS_KEY');
  if (config.metrics?.token !== undefined) names.push('METRICS_TOKEN');
  if (config.sentry !== undefined) names.push('SENTRY_DSN');
  if (config.mail !== undefined) names.push('SMTP_URL');
  return names;
}
