import type { BackupSettings } from '../../config.js';
import {
  LocalStorage,
  S3Storage,
  storageKey,
  type Storage,
  type StorageKey,
  type StoredObjectInfo,
} from '../../infra/storage/index.js';

/**
 * Where backups are kept: a `Storage` of its own (atomic writes, streaming, listing), a local
 * folder (`BACKUP_DIR`) or an S3 bucket under a prefix (`BACKUP_S3_*`), never the media bucket.
 */
export function createDestination(settings: BackupSettings): Storage {
  if (settings.s3 === undefined) return new LocalStorage(settings.dir);
  const { prefix, ...options } = settings.s3;
  const bucket = new S3Storage(options);
  return prefix === '' ? bucket : prefixedStorage(bucket, prefix);
}

/** Describes the destination for logs and the admin app (no credentials). */
export function describeDestination(settings: BackupSettings): string {
  if (settings.s3 === undefined) return settings.dir;
  const { bucket, prefix } = settings.s3;
  return `s3://${bucket}/${prefix}`;
}

/** `storage` seen through a key prefix (`vertex/backups` + `objects/…`). */
export function prefixedStorage(storage: Storage, prefix: string): Storage {
  const base = `${prefix}/`;
  const inner = (key: StorageKey) => storageKey(...`${base}${key}`.split('/'));
  const outer = (info: StoredObjectInfo): StoredObjectInfo => ({
    ...info,
    key: storageKey(...info.key.slice(base.length).split('/')),
  });
  return {
    driver: storage.driver,
    put: async (key, body, options) => ({ ...(await storage.put(inner(key), body, options)), key }),
    get: (key, range) => storage.get(inner(key), range),
    head: async (key) => {
      const info = await storage.head(inner(key));
      return info === null ? null : { ...info, key };
    },
    exists: (key) => storage.exists(inner(key)),
    delete: (key) => storage.delete(inner(key)),
    async *list(listPrefix) {
      for await (const info of storage.list(`${base}${listPrefix}`)) yield outer(info);
    },
    deletePrefix: (listPrefix) => storage.deletePrefix(`${base}${listPrefix}`),
    ping: () => storage.ping(),
  };
}
