import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Storage, StorageKey } from '../infra/storage/index.js';

/**
 * A private temp directory for one job attempt, removed afterwards whatever happens. Tools
 * such as ffmpeg need real files, and the storage may be remote.
 */
export async function withJobDir<T>(
  tmpRoot: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  await mkdir(tmpRoot, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(path.join(tmpRoot, 'job-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Copies a stored object to a local file. */
export async function downloadTo(storage: Storage, key: StorageKey, file: string): Promise<string> {
  const object = await storage.get(key);
  await pipeline(object.body, createWriteStream(file, { mode: 0o600 }));
  return file;
}
