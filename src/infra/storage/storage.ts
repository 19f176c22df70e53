import type { Readable } from 'node:stream';

/**
 * A storage key is a server-generated, slash-separated path such as
 * `portraits/0192…/original.jpg`. The brand makes it impossible to pass a client string where a
 * key is expected: the only way to get one is `storageKey()`, which rejects `..`, empty or
 * absolute segments and anything outside a conservative character set.
 */
export type StorageKey = string & { readonly __brand: 'StorageKey' };

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export function storageKey(...segments: string[]): StorageKey {
  if (segments.length === 0) throw new Error('storage key needs at least one segment');
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment.includes('..')) {
      throw new Error(`invalid storage key segment: ${JSON.stringify(segment)}`);
    }
  }
  return segments.join('/') as StorageKey;
}

/** Parses a key read back from storage (e.g. a listing) and re-validates it. */
export function parseStorageKey(key: string): StorageKey {
  return storageKey(...key.split('/'));
}

const PARTIAL_SEGMENT = /^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/;

/**
 * Validates a listing prefix: whole key segments separated by `/`, optionally followed by the
 * start of a segment (`portraits/ab` matches `portraits/abc/…`). Returns the prefix unchanged;
 * throws on anything no key could start with (`..`, `/abs`, `a//b`, other characters), so a
 * prefix can never address a path outside the storage root. `''` means everything.
 */
export function storagePrefix(prefix: string): string {
  const segments = prefix.split('/');
  const partial = segments.pop() ?? '';
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment.includes('..')) {
      throw new Error(`invalid storage prefix: ${JSON.stringify(prefix)}`);
    }
  }
  if (!PARTIAL_SEGMENT.test(partial) || partial.includes('..')) {
    throw new Error(`invalid storage prefix: ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObjectInfo {
  key: StorageKey;
  size: number;
  /**
   * Only what the backend keeps: S3 returns the type given to `put` (from `head`/`get`, not from
   * `list`); the local driver keeps none. The database row is the source of truth for a file's
   * media type.
   */
  contentType?: string;
  lastModified?: Date;
}

export interface StoredObjectStream {
  body: Readable;
  /** Size of the whole object. */
  size: number;
  /** Bytes in `body` (the range length when a range was asked for). */
  contentLength: number;
  /** See `StoredObjectInfo.contentType`. */
  contentType?: string;
  range?: ByteRange;
}

export interface PutOptions {
  /** Stored as the object's `Content-Type` on S3; ignored by the local driver. */
  contentType?: string;
}

export interface PutResult {
  key: StorageKey;
  size: number;
  /** Hex SHA-256 of the bytes written, computed while streaming. */
  sha256: string;
}

/**
 * Object storage used for every file the product keeps (originals, derived media, markers,
 * backups). Writes are atomic: a reader sees either the old object, the complete new one, or
 * nothing — never a partial file.
 */
export interface Storage {
  readonly driver: 'local' | 's3';
  put(key: StorageKey, body: Readable | Buffer, options?: PutOptions): Promise<PutResult>;
  /** Throws `AppError('not_found', 404)` when the key does not exist, and `AppError('range_not_satisfiable', 416)` for a range outside the object. */
  get(key: StorageKey, range?: ByteRange): Promise<StoredObjectStream>;
  head(key: StorageKey): Promise<StoredObjectInfo | null>;
  exists(key: StorageKey): Promise<boolean>;
  /** Deleting a missing key is not an error. */
  delete(key: StorageKey): Promise<void>;
  /**
   * Lists every object whose key starts with `prefix` (a key prefix, e.g. `portraits/abc/`),
   * sorted by key (byte order, as S3 does). The prefix is checked with `storagePrefix()`.
   */
  list(prefix: string): AsyncIterable<StoredObjectInfo>;
  /** Deletes every object under the prefix; returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /** Throws when the storage is not reachable / writable (used by `/ready`). */
  ping(): Promise<void>;
}
