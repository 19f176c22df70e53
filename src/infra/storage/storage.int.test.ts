import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestStorage,
  digestStream,
  patternBytes,
  patternSha256,
  patternStream,
  readAll,
} from '../../../test/support/storage.js';
import type { TestStorage } from '../../../test/support/storage.js';
import { createStorage, S3Storage, storageKey } from './index.js';
import type { Storage, StorageKey, StoredObjectInfo } from './index.js';

/**
 * The Storage contract, run against the backend `createTestStorage()` picks (local disk in
 * `sqlite-local`, a fresh bucket on the S3 server in `postgres-s3`). Every test works under its
 * own random prefix, so tests are independent of each other.
 */

const MiB = 1024 * 1024;

let testStorage: TestStorage | undefined;
let storage: Storage;

beforeAll(async () => {
  testStorage = await createTestStorage();
  storage = testStorage.storage;
});

afterAll(async () => {
  await testStorage?.cleanup();
});

/** A fresh namespace for one test. */
function space(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

async function collect(iterable: AsyncIterable<StoredObjectInfo>): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of iterable) keys.push(info.key);
  return keys;
}

async function contentOf(key: StorageKey): Promise<Buffer> {
  return readAll((await storage.get(key)).body);
}

/** Local backend only: files left in the temp dir. */
async function leftoverTempFiles(): Promise<string[]> {
  if (testStorage?.config.driver !== 'local') return [];
  try {
    return await readdir(path.join(testStorage.config.root, '.tmp'));
  } catch {
    return [];
  }
}

/** S3 backend only: multipart uploads neither completed nor aborted. */
async function pendingUploads(prefix: string): Promise<unknown[]> {
  return storage instanceof S3Storage ? storage.pendingUploads(prefix) : [];
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe(`Storage contract (${process.env.VERTEX_TEST_BACKEND ?? 'sqlite-local'})`, () => {
  it('streams a 50 MiB object in and out with the SHA-256 of the source', async () => {
    const key = storageKey(space(), 'big.bin');
    const size = 50 * MiB;
    const seed = 0x5eed;
    const expected = patternSha256(seed, size);

    const put = await storage.put(key, patternStream(seed, size), {
      contentType: 'application/octet-stream',
    });
    expect(put).toEqual({ key, size, sha256: expected });

    const got = await storage.get(key);
    expect(got.size).toBe(size);
    expect(got.contentLength).toBe(size);
    expect(await digestStream(got.body)).toEqual({ sha256: expected, size });

    // Across an S3 part boundary (8 MiB parts) and at the very end.
    const across = await storage.get(key, { start: 8 * MiB - 5, end: 8 * MiB + 4 });
    expect(await readAll(across.body)).toEqual(patternBytes(seed, 8 * MiB - 5, 10));
    const tail = await storage.get(key, { start: size - 3, end: size - 1 });
    expect(await readAll(tail.body)).toEqual(patternBytes(seed, size - 3, 3));
  }, 120_000);

  it('puts a Buffer and reports its size, hash and (S3) content type', async () => {
    const key = storageKey(space(), 'photo.jpg');
    const bytes = patternBytes(2, 0, 1000);
    const put = await storage.put(key, bytes, { contentType: 'image/jpeg' });
    expect(put).toEqual({ key, size: 1000, sha256: sha256(bytes) });
    expect(await contentOf(key)).toEqual(bytes);

    const info = await storage.head(key);
    expect(info?.key).toBe(key);
    expect(info?.size).toBe(1000);
    expect(info?.lastModified).toBeInstanceOf(Date);
    if (storage.driver === 's3') {
      expect(info?.contentType).toBe('image/jpeg');
      expect((await storage.get(key)).contentType).toBe('image/jpeg');
    }
  });

  it('stores empty objects, from a Buffer and from a stream', async () => {
    const ns = space();
    const emptySha = sha256(Buffer.alloc(0));
    for (const [name, body] of [
      ['buffer', Buffer.alloc(0)],
      ['stream', patternStream(3, 0)],
    ] as const) {
      const key = storageKey(ns, name);
      expect(await storage.put(key, body)).toEqual({ key, size: 0, sha256: emptySha });
      expect((await storage.head(key))?.size).toBe(0);
      const got = await storage.get(key);
      expect(got.size).toBe(0);
      expect(await readAll(got.body)).toEqual(Buffer.alloc(0));
      await expect(storage.get(key, { start: 0, end: 0 })).rejects.toMatchObject({
        code: 'range_not_satisfiable',
        httpStatus: 416,
      });
    }
  });

  it('reads inclusive byte ranges and rejects unsatisfiable ones with 416', async () => {
    const key = storageKey(space(), 'ranged.bin');
    const bytes = patternBytes(4, 0, 1000);
    await storage.put(key, bytes);

    for (const [start, end] of [
      [0, 9],
      [100, 199],
      [999, 999],
      [0, 999],
    ] as const) {
      const got = await storage.get(key, { start, end });
      expect(got.size).toBe(1000);
      expect(got.contentLength).toBe(end - start + 1);
      expect(got.range).toEqual({ start, end });
      expect(await readAll(got.body)).toEqual(bytes.subarray(start, end + 1));
    }

    for (const [start, end] of [
      [1000, 1000],
      [990, 1000],
      [5, 4],
      [-1, 3],
      [0.5, 3],
    ] as const) {
      await expect(storage.get(key, { start, end })).rejects.toMatchObject({
        code: 'range_not_satisfiable',
        httpStatus: 416,
      });
    }
  });

  it('answers head and exists for present and missing keys', async () => {
    const ns = space();
    const key = storageKey(ns, 'here.txt');
    const missing = storageKey(ns, 'missing.txt');
    await storage.put(key, Buffer.from('hello'));
    expect(await storage.exists(key)).toBe(true);
    expect(await storage.exists(missing)).toBe(false);
    expect(await storage.head(missing)).toBeNull();
    // A "directory" (a prefix of other keys) is not an object.
    expect(await storage.exists(storageKey(ns))).toBe(false);
    expect(await storage.head(storageKey(ns))).toBeNull();
  });

  it('rejects get of a missing key with not_found', async () => {
    const ns = space();
    await storage.put(storageKey(ns, 'a', 'b'), Buffer.from('x'));
    for (const key of [
      storageKey(ns, 'nope'),
      storageKey(ns, 'a'),
      storageKey(ns, 'a', 'b', 'c'),
    ]) {
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'not_found', httpStatus: 404 });
      await expect(storage.get(key, { start: 0, end: 0 })).rejects.toMatchObject({
        code: 'not_found',
      });
    }
  });

  it('overwrites atomically: readers see the whole old object until the new one is complete', async () => {
    const key = storageKey(space(), 'same.bin');
    const oldBytes = patternBytes(5, 0, 100_000);
    const newSize = 12 * MiB;
    const newSha = patternSha256(6, newSize);
    await storage.put(key, oldBytes);

    // Feed the new version by hand and read the key while it is half written (on S3 the
    // first 8 MiB part is being uploaded).
    const source = new PassThrough({ highWaterMark: 1 * MiB });
    const writing = storage.put(key, source);
    const half = 9 * MiB;
    for (let offset = 0; offset < half; offset += MiB) {
      if (!source.write(patternBytes(6, offset, MiB))) await once(source, 'drain');
    }
    for (let i = 0; i < 3; i++) expect(await contentOf(key)).toEqual(oldBytes);
    expect((await storage.head(key))?.size).toBe(oldBytes.length);

    for (let offset = half; offset < newSize; offset += MiB) {
      if (!source.write(patternBytes(6, offset, MiB))) await once(source, 'drain');
    }
    source.end();
    expect(await writing).toEqual({ key, size: newSize, sha256: newSha });
    expect(await digestStream((await storage.get(key)).body)).toEqual({
      sha256: newSha,
      size: newSize,
    });
    expect(await leftoverTempFiles()).toEqual([]);
  }, 60_000);

  it('keeps one complete version when two writers race on a key', async () => {
    const key = storageKey(space(), 'raced.bin');
    const size = 2 * MiB;
    const results = await Promise.all([
      storage.put(key, patternStream(7, size)),
      storage.put(key, patternStream(8, size)),
    ]);
    const final = await digestStream((await storage.get(key)).body);
    expect(results.map((r) => r.sha256)).toContain(final.sha256);
    expect(final.size).toBe(size);
  });

  it('deletes objects; deleting a missing key is fine', async () => {
    const ns = space();
    const key = storageKey(ns, 'deep', 'er', 'file.txt');
    const sibling = storageKey(ns, 'keep.txt');
    await storage.put(key, Buffer.from('bye'));
    await storage.put(sibling, Buffer.from('stay'));
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.get(key)).rejects.toMatchObject({ code: 'not_found' });
    await storage.delete(key);
    await storage.delete(storageKey(ns, 'never', 'was'));
    await storage.delete(storageKey(ns)); // a prefix of other keys, not an object
    expect(await contentOf(sibling)).toEqual(Buffer.from('stay'));

    if (testStorage?.config.driver === 'local') {
      // Emptied directories are pruned up to (not including) the first non-empty one.
      const root = testStorage.config.root;
      await expect(stat(path.join(root, ns, 'deep'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await stat(path.join(root, ns))).isDirectory()).toBe(true);
      await storage.delete(sibling);
      await expect(stat(path.join(root, ns))).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await stat(root)).isDirectory()).toBe(true);
    }
  });

  it('lists by prefix in byte order without leaking neighbouring prefixes', async () => {
    const ns = space();
    // '-' < '.' < '/' < '0' < 'A' < '_' < 'a': a directory walk sorted by name gets this wrong.
    const names = ['a-1', 'a.1', 'a/1', 'a/2/x', 'a0', 'aA', 'a_', 'ab/c', 'b'];
    for (const name of [...names].reverse()) {
      await storage.put(storageKey(ns, ...name.split('/')), Buffer.from(name));
    }
    await storage.put(storageKey(`${ns}x`, 'other'), Buffer.from('neighbour'));

    const all = names.map((name) => `${ns}/${name}`);
    expect(await collect(storage.list(`${ns}/`))).toEqual([...all].sort());
    expect([...all].sort()).toEqual(all); // the expectation above really is byte order
    expect(await collect(storage.list(`${ns}/a/`))).toEqual([`${ns}/a/1`, `${ns}/a/2/x`]);
    expect(await collect(storage.list(`${ns}/a`))).toEqual(all.filter((k) => k !== `${ns}/b`));
    expect(await collect(storage.list(`${ns}/ab`))).toEqual([`${ns}/ab/c`]);
    expect(await collect(storage.list(`${ns}/nothing/`))).toEqual([]);
    expect(await collect(storage.list(`${ns}/a-1/`))).toEqual([]); // a file, not a directory

    const infos: StoredObjectInfo[] = [];
    for await (const info of storage.list(`${ns}/a/`)) infos.push(info);
    expect(infos.map((i) => i.size)).toEqual([3, 5]);
    expect(infos[0]?.lastModified).toBeInstanceOf(Date);
  });

  it('rejects listing prefixes no key could start with', async () => {
    for (const prefix of ['../', '/abs', 'a//b', '.tmp', 'a/../b', 'a\\b', 'é']) {
      await expect(collect(storage.list(prefix))).rejects.toThrow(/invalid storage prefix/);
      await expect(storage.deletePrefix(prefix)).rejects.toThrow(/invalid storage prefix/);
    }
  });

  it('deletes everything under a prefix, in batches, and nothing else', async () => {
    const ns = space();
    const count = 1005; // more than one DeleteObjects batch
    const keys = Array.from({ length: count }, (_, i) =>
      storageKey(ns, 'many', `d${i % 7}`, `f${String(i).padStart(4, '0')}`),
    );
    const keep = storageKey(ns, 'manyx');
    for (let i = 0; i < keys.length; i += 25) {
      await Promise.all(keys.slice(i, i + 25).map((key) => storage.put(key, Buffer.from('x'))));
    }
    await storage.put(keep, Buffer.from('keep'));

    expect(await storage.deletePrefix(`${ns}/many/`)).toBe(count);
    expect(await collect(storage.list(`${ns}/many/`))).toEqual([]);
    expect(await collect(storage.list(`${ns}/`))).toEqual([keep]);
    expect(await storage.deletePrefix(`${ns}/many/`)).toBe(0);
    expect(await storage.deletePrefix(`${ns}/`)).toBe(1);
    expect(await storage.exists(keep)).toBe(false);
  }, 60_000);

  describe('a source stream that fails midway', () => {
    for (const [label, failAt] of [
      ['early (single request on S3)', 100_000],
      ['after 10 MiB (multipart on S3)', 10 * MiB],
    ] as const) {
      it(`${label}: rejects, leaves no object and no temp data`, async () => {
        const ns = space();
        const fresh = storageKey(ns, 'fresh.bin');
        await expect(storage.put(fresh, patternStream(9, 20 * MiB, { failAt }))).rejects.toThrow(
          /source failed/,
        );
        expect(await storage.exists(fresh)).toBe(false);

        // Over an existing object: the old version survives intact.
        const existing = storageKey(ns, 'existing.bin');
        const oldBytes = patternBytes(10, 0, 5000);
        await storage.put(existing, oldBytes);
        await expect(
          storage.put(existing, patternStream(11, 20 * MiB, { failAt })),
        ).rejects.toThrow(/source failed/);
        expect(await contentOf(existing)).toEqual(oldBytes);

        expect(await leftoverTempFiles()).toEqual([]);
        expect(await pendingUploads(`${ns}/`)).toEqual([]);
        expect(await collect(storage.list(`${ns}/`))).toEqual([existing]);
      }, 60_000);
    }
  });

  it('pings a working storage and fails for a missing root or bucket', async () => {
    await storage.ping();
    const config = testStorage?.config;
    if (config === undefined) throw new Error('no test storage');
    const broken =
      config.driver === 'local'
        ? createStorage({ ...config, root: path.join(config.root, 'does-not', 'exist') })
        : createStorage({ ...config, bucket: `vtest-missing-${randomBytes(4).toString('hex')}` });
    try {
      await expect(broken.ping()).rejects.toThrow();
      if (broken.driver === 's3') {
        // A server-side failure mid-stream rejects (no hang) and releases the source.
        const source = patternStream(12, 20 * MiB);
        await expect(broken.put(storageKey('k'), source)).rejects.toThrow();
        expect(source.destroyed).toBe(true);
      }
    } finally {
      if (broken instanceof S3Storage) broken.close();
    }
  });
});
