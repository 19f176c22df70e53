import { LocalStorage } from './local.js';
import { S3Storage } from './s3.js';
import type { S3StorageOptions } from './s3.js';
import type { Storage } from './storage.js';

export type StorageConfig =
  { driver: 'local'; root: string } | ({ driver: 's3' } & S3StorageOptions);

export function createStorage(config: StorageConfig): Storage {
  switch (config.driver) {
    case 'local':
      return new LocalStorage(config.root);
    case 's3':
      return new S3Storage(config);
  }
}

export { LocalStorage } from './local.js';
export { S3Storage } from './s3.js';
export type { S3StorageOptions } from './s3.js';
export { parseStorageKey, storageKey, storagePrefix } from './storage.js';
export type {
  ByteRange,
  PutOptions,
  PutResult,
  Storage,
  StorageKey,
  StoredObjectInfo,
  StoredObjectStream,
} from './storage.js';
