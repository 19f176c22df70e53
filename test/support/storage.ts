import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createStorage, S3Storage } from '../../src/infra/storage/index.js';
import type { Storage, StorageConfig } from '../../src/infra/storage/index.js';

export interface TestStorage {
  storage: Storage;
  config: StorageConfig;
  cleanup(): Promise<void>;
}

/**
 * A fresh, empty storage for one test file: a new bucket `vtest-<random>` on the S3 server when
 * `VERTEX_TEST_BACKEND=postgres-s3` (S3_* variables required, e.g. from `.tmp/s3/s3.env`),
 * otherwise a new temp directory. `cleanup()` removes everything it made.
 */
export async function createTestStorage(): Promise<TestStorage> {
  if (process.env.VERTEX_TEST_BACKEND === 'postgres-s3') return createS3TestStorage();
  const root = await mkdtemp(path.join(tmpdir(), 'vtest-storage-'));
  const config: StorageConfig = { driver: 'local', root };
  return {
    storage: createStorage(config),
    config,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** A fresh bucket `vtest-<random>` on the test S3 server, whatever the backend under test. */
export async function createS3TestStorage(): Promise<TestStorage> {
  const env = process.env;
  const required = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'];
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `VERTEX_TEST_BACKEND=postgres-s3 needs ${missing.join(', ')}: run \`bash scripts/s3-server.sh start\` and \`set -a; . .tmp/s3/s3.env; set +a\` first`,
    );
  }
  const forcePathStyle = (env.S3_FORCE_PATH_STYLE ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(forcePathStyle)) {
    throw new Error(
      `S3_FORCE_PATH_STYLE must be true or false, got ${JSON.stringify(forcePathStyle)}`,
    );
  }
  const config: StorageConfig = {
    driver: 's3',
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION ?? '',
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: forcePathStyle === 'true' || forcePathStyle === '1',
    bucket: `vtest-${randomBytes(6).toString('hex')}`,
  };
  const storage = createStorage(config);
  if (!(storage instanceof S3Storage)) throw new Error('expected an S3Storage');
  await storage.createBucketIfMissing();
  return {
    storage,
    config,
    cleanup: async () => {
      try {
        await storage.destroyBucket();
      } finally {
        storage.close();
      }
    },
  };
}

/**
 * Deterministic pseudo-random bytes, addressable by offset: 32-bit word `i` is a hash of
 * `(seed, i)`, so any range can be recomputed without generating what precedes it.
 */
export function patternBytes(seed: number, offset: number, length: number): Buffer {
  const firstWord = Math.floor(offset / 4);
  const words = new Uint32Array(Math.ceil((offset + length) / 4) - firstWord);
  for (let i = 0; i < words.length; i++) words[i] = mix32(seed, firstWord + i);
  const skip = offset - firstWord * 4;
  return Buffer.from(words.buffer, skip, length);
}

function mix32(seed: number, index: number): number {
  // murmur3's finaliser over (seed, index): well spread and fast.
  let h = Math.imul(index ^ Math.imul(seed, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface PatternStreamOptions {
  chunkSize?: number;
  /** Destroy the stream with an error once this many bytes were emitted. */
  failAt?: number;
}

/** `size` bytes of `patternBytes(seed, …)` as a stream, never more than a chunk in memory. */
export function patternStream(
  seed: number,
  size: number,
  options: PatternStreamOptions = {},
): Readable {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  let offset = 0;
  return new Readable({
    read() {
      if (options.failAt !== undefined && offset >= options.failAt) {
        this.destroy(new Error(`source failed at byte ${offset}`));
        return;
      }
      if (offset >= size) {
        this.push(null);
        return;
      }
      const length = Math.min(chunkSize, size - offset);
      const chunk = patternBytes(seed, offset, length);
      offset += length;
      this.push(chunk);
    },
  });
}

export function patternSha256(seed: number, size: number): string {
  const hash = createHash('sha256');
  const chunkSize = 1024 * 1024;
  for (let offset = 0; offset < size; offset += chunkSize) {
    hash.update(patternBytes(seed, offset, Math.min(chunkSize, size - offset)));
  }
  return hash.digest('hex');
}

/** Consumes a stream, returning its SHA-256 and length. */
export async function digestStream(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The storage of an installation the CLI runs on: a fresh bucket on the PostgreSQL + S3 backend,
 * else `DATA_DIR/storage`, the local default the CLI resolves from `dataDir`.
 */
export async function installationStorage(dataDir: string): Promise<TestStorage> {
  if (process.env.VERTEX_TEST_BACKEND === 'postgres-s3') return createTestStorage();
  const config: StorageConfig = { driver: 'local', root: path.join(dataDir, 'storage') };
  return { storage: createStorage(config), config, cleanup: () => Promise.resolve() };
}
