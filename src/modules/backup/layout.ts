import { storageKey, type StorageKey } from '../../infra/storage/index.js';
import type { FileSum } from './streams.js';

/**
 * The files of a destination (docs/backup-restore.md):
 *   identity.age                          the destination's age key, sealed by the passphrase
 *   objects/<storage key>[.<v>].age       each stored object once, shared by every backup
 *   backups/<id>/database.age             native copy (SQLite file / pg_dump custom archive)
 *   backups/<id>/rows.jsonl.age           portable copy (every row, for any dialect)
 *   backups/<id>/manifest.json.age        written last: its presence makes the backup complete
 * Without encryption the same names without `.age`.
 */
export interface ManifestObject extends FileSum {
  /** The storage key the object is restored to. */
  key: string;
  /** Its file in the destination. */
  file: string;
  /** The source's modification time: with the size, what makes an unchanged key reusable. */
  modified: string | null;
}

export interface Manifest {
  format: 1;
  id: string;
  createdAt: string;
  product: { name: string; version: string };
  /** Latest migration applied to the database when it was copied. */
  migration: string | null;
  dialect: 'sqlite' | 'postgres';
  encryption: 'age' | 'none';
  /** Names of the secrets the installation had set (never their values). */
  secretVariables: string[];
  /** The non-secret variables the installation set (`PUBLIC_BASE_URL`, `STUDIO_NAME`…). */
  configuration: Record<string, string>;
  database: FileSum & { file: string };
  rows: FileSum & { file: string };
  objects: ManifestObject[];
  durationMs: number;
}

export const BACKUP_ID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

export function layout(suffix: '' | '.age') {
  return {
    manifest: (id: string) => storageKey('backups', id, `manifest.json${suffix}`),
    database: (id: string) => storageKey('backups', id, `database${suffix}`),
    rows: (id: string) => storageKey('backups', id, `rows.jsonl${suffix}`),
    /** `variant` tells apart a key whose content changed since an earlier backup copied it. */
    object(key: string, variant?: string): StorageKey {
      const segments = key.split('/');
      const last = segments.pop() ?? '';
      const name = variant === undefined ? last : `${last}.${variant}`;
      return storageKey('objects', ...segments, `${name}${suffix}`);
    },
  };
}

export function backupIdAt(now: Date, random: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${random}`;
}

/** The time an id was taken at (ids sort by time), for backups without a readable manifest. */
export function idTime(id: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : null;
}

export function parseManifest(value: unknown, id: string): Manifest {
  const m = value as Partial<Manifest> | null;
  if (
    m === null ||
    m.format !== 1 ||
    m.id !== id ||
    !Array.isArray(m.objects) ||
    m.database === undefined ||
    m.rows === undefined
  ) {
    throw new Error('not a backup manifest');
  }
  return m as Manifest;
}
