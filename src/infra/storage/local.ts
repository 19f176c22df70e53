import { createHash, randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, lstat, mkdir, open, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, notFound } from '../../shared/errors.js';
import { parseStorageKey, storagePrefix } from './storage.js';
import type {
  ByteRange,
  PutOptions,
  PutResult,
  Storage,
  StorageKey,
  StoredObjectInfo,
  StoredObjectStream,
} from './storage.js';

/**
 * Temp files live inside the root so `rename` stays on one filesystem (atomic). No key can
 * collide with it: key segments never start with a dot.
 */
const TEMP_DIR = '.tmp';

/**
 * Files on a local disk: the object `a/b/c.jpg` is the file `<root>/a/b/c.jpg`. Writes go to
 * `<root>/.tmp/…`, are fsynced and renamed into place, so readers see the old file or the whole
 * new one. Content types are not kept (see `StoredObjectInfo.contentType`).
 */
/**
 * Originals are customers' photos and videos: readable by the service account only (the web
 * server streams them; nobody else on the host needs to). The umask can only narrow these.
 */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

export class LocalStorage implements Storage {
  readonly driver = 'local' as const;
  private readonly root: string;
  private readonly tempDir: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.tempDir = path.join(this.root, TEMP_DIR);
  }

  async put(key: StorageKey, body: Readable | Buffer, _options?: PutOptions): Promise<PutResult> {
    const target = this.pathOf(key);
    await mkdir(this.tempDir, { recursive: true, mode: PRIVATE_DIR });
    const tempPath = path.join(this.tempDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    let handle: FileHandle | undefined;
    try {
      handle = await open(tempPath, 'wx', PRIVATE_FILE);
      if (Buffer.isBuffer(body)) {
        hash.update(body);
        size = body.length;
        await handle.writeFile(body);
      } else {
        // Awaiting each write gives backpressure; an error in the source ends the loop with a
        // throw, and breaking out of the iterator destroys the source.
        for await (const chunk of body as AsyncIterable<unknown>) {
          const bytes = toBuffer(chunk);
          hash.update(bytes);
          size += bytes.length;
          await writeAll(handle, bytes);
        }
      }
      await handle.sync();
      await handle.close();
      handle = undefined;
      await this.moveIntoPlace(tempPath, target);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
      throw error;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  async get(key: StorageKey, range?: ByteRange): Promise<StoredObjectStream> {
    const file = this.pathOf(key);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR')) throw notFound('object');
      throw error;
    }
    try {
      // fstat on the open handle: size and bytes come from the same inode even if the key is
      // overwritten (renamed over) meanwhile.
      const info = await handle.stat();
      if (!info.isFile()) throw notFound('object');
      const size = info.size;
      if (range !== undefined) {
        assertRange(range, size);
        return {
          body: handle.createReadStream({ start: range.start, end: range.end }),
          size,
          contentLength: range.end - range.start + 1,
          range: { start: range.start, end: range.end },
        };
      }
      return { body: handle.createReadStream(), size, contentLength: size };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  async head(key: StorageKey): Promise<StoredObjectInfo | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : null;
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR')) return null;
      throw error;
    }
  }

  async exists(key: StorageKey): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: StorageKey): Promise<void> {
    const file = this.pathOf(key);
    try {
      await unlink(file);
    } catch (error) {
      // EISDIR/EPERM: the key names a "directory" (a prefix of other keys), not an object.
      if (isCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM')) return;
      throw error;
    }
    await this.removeEmptyParents(path.dirname(file));
  }

  async *list(prefix: string): AsyncIterable<StoredObjectInfo> {
    storagePrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash === -1 ? '' : prefix.slice(0, slash);
    const dir = dirKey === '' ? this.root : this.pathOf(parseStorageKey(dirKey));
    for await (const info of this.walk(dir, dirKey)) {
      if (info.key.startsWith(prefix)) yield info;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    // Collect first: deleting while walking would prune directories the walk is about to read.
    const keys: StorageKey[] = [];
    for await (const info of this.list(prefix)) keys.push(info.key);
    for (const key of keys) await this.delete(key);
    return keys.length;
  }

  async ping(): Promise<void> {
    await access(this.root, fsConstants.W_OK);
    await mkdir(this.tempDir, { recursive: true, mode: PRIVATE_DIR });
    const probe = path.join(this.tempDir, `ping-${randomUUID()}`);
    const handle = await open(probe, 'wx', PRIVATE_FILE);
    try {
      await handle.writeFile('ping');
    } finally {
      await handle.close();
      await unlink(probe);
    }
  }

  /** Maps a key to its file, re-checking the key (the brand can be forged with a cast). */
  private pathOf(key: StorageKey): string {
    const file = path.resolve(this.root, ...parseStorageKey(key).split('/'));
    if (!this.isBelowRoot(file)) {
      throw new Error(`storage key escapes the root: ${JSON.stringify(key)}`);
    }
    return file;
  }

  /** Strictly inside the root (the root itself is not). */
  private isBelowRoot(file: string): boolean {
    const relative = path.relative(this.root, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  private async moveIntoPlace(tempPath: string, target: string): Promise<void> {
    // A concurrent delete may prune the freshly made parent directory between mkdir and
    // rename; retry a few times rather than fail the write.
    for (let attempt = 1; ; attempt++) {
      await mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR });
      try {
        await rename(tempPath, target);
        break;
      } catch (error) {
        if (attempt >= 5 || !isCode(error, 'ENOENT')) throw error;
      }
    }
    await syncDir(path.dirname(target));
  }

  private async removeEmptyParents(dir: string): Promise<void> {
    let current = dir;
    while (this.isBelowRoot(current)) {
      try {
        await rmdir(current);
      } catch (error) {
        if (isCode(error, 'ENOTEMPTY', 'EEXIST', 'ENOENT', 'EBUSY')) return;
        throw error;
      }
      current = path.dirname(current);
    }
  }

  /**
   * Yields the files under `dir` in key order. Entries are ordered by name, a directory counting
   * as `name/`, which gives exactly byte order of the full keys (`a-b` < `a.b` < `a/x` < `a0`).
   */
  private async *walk(dir: string, dirKey: string): AsyncGenerator<StoredObjectInfo> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR')) return;
      throw error;
    }
    const sorted = entries
      .filter((entry) => entry.isFile() || entry.isDirectory())
      .map((entry) => ({ entry, sortName: entry.isDirectory() ? `${entry.name}/` : entry.name }))
      .sort((a, b) => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : 0));
    for (const { entry } of sorted) {
      const childKey = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      let key: StorageKey;
      try {
        key = parseStorageKey(childKey);
      } catch {
        continue; // the temp dir, or a stray file no key can name
      }
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* this.walk(child, childKey);
        continue;
      }
      try {
        const info = await lstat(child);
        if (info.isFile()) yield { key, size: info.size, lastModified: info.mtime };
      } catch (error) {
        if (!isCode(error, 'ENOENT')) throw error; // deleted since readdir
      }
    }
  }
}

function assertRange(range: ByteRange, size: number): void {
  const { start, end } = range;
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    start > end ||
    end >= size
  ) {
    throw new AppError('range_not_satisfiable', 416, 'requested range not satisfiable', {
      start,
      end,
      size,
    });
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('storage body must yield bytes');
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename durable; some filesystems refuse fsync on a directory, which is fine. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    codes.includes(error.code)
  );
}
