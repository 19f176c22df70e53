import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { BucketLocationConstraint } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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

export interface S3StorageOptions {
  /** e.g. `http://127.0.0.1:7480` for radosgw/MinIO; omit for AWS. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Both or neither; without them the SDK's default credential chain is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `true` for radosgw/MinIO (`http://host/bucket/key` instead of `http://bucket.host/key`). */
  forcePathStyle: boolean;
}

/** 8 MiB parts, two in flight: ~16–24 MiB of buffers per upload, 50+ MB/s on a LAN. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
/** DeleteObjects accepts at most 1000 keys per request. */
const DELETE_BATCH = 1000;

/**
 * An S3 bucket (AWS, Ceph radosgw, MinIO, R2…). Streamed writes use multipart upload, which S3
 * commits atomically on CompleteMultipartUpload and which is aborted on any failure.
 */
export class S3Storage implements Storage {
  readonly driver = 's3' as const;
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly hasCustomEndpoint: boolean;
  private readonly region: string;

  constructor(options: S3StorageOptions) {
    if ((options.accessKeyId === undefined) !== (options.secretAccessKey === undefined)) {
      throw new Error('S3 access key id and secret access key must be given together');
    }
    this.bucket = options.bucket;
    this.region = options.region;
    this.hasCustomEndpoint = options.endpoint !== undefined;
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      ...(options.accessKeyId !== undefined &&
        options.secretAccessKey !== undefined && {
          credentials: {
            accessKeyId: options.accessKeyId,
            secretAccessKey: options.secretAccessKey,
          },
        }),
      // The SDK's default (CRC32 on every request) makes streamed uploads without a length
      // fail on radosgw (MissingContentLength); integrity is checked with our own SHA-256.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: StorageKey, body: Readable | Buffer, options?: PutOptions): Promise<PutResult> {
    const Key = parseStorageKey(key);
    const ContentType = options?.contentType;
    if (Buffer.isBuffer(body)) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: body,
          ContentLength: body.length,
          ContentType,
        }),
      );
      return { key, size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    }

    const hashing = new HashingTransform();
    // The pipeline destroys `hashing` with the source's error, which fails the upload.
    const piping = pipeline(body, hashing);
    piping.catch(() => undefined); // awaited below; this only keeps it from being "unhandled"
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: hashing, ContentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false, // abort the multipart upload on failure
    });
    try {
      // Settles only after the multipart upload was completed or aborted.
      await upload.done();
    } catch (error) {
      // An S3 error leaves the source paused mid-stream: release it.
      hashing.destroy();
      body.destroy();
      throw error;
    }
    await piping;
    // Size and hash are ours, not the response's: CompleteMultipartUpload's ETag is empty on
    // radosgw, and a multipart ETag is not a content hash anyway.
    return { key, size: hashing.bytesSeen, sha256: hashing.digest() };
  }

  async get(key: StorageKey, range?: ByteRange): Promise<StoredObjectStream> {
    if (range !== undefined) assertRangeShape(range);
    let response;
    try {
      response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: parseStorageKey(key),
          Range: range && `bytes=${range.start}-${range.end}`,
        }),
      );
    } catch (error) {
      if (isNotFound(error)) throw notFound('object');
      if (httpStatus(error) === 416 || errorName(error) === 'InvalidRange') {
        throw rangeNotSatisfiable(range);
      }
      throw error;
    }
    const body = response.Body;
    if (!(body instanceof Readable)) throw new Error('S3 GetObject returned no Node stream');
    const contentLength = response.ContentLength ?? 0;
    if (range === undefined) {
      return { body, size: contentLength, contentLength, contentType: response.ContentType };
    }
    // S3 clamps a range that runs past the end; the contract says that is unsatisfiable.
    const size = totalFromContentRange(response.ContentRange);
    if (size === undefined || range.end >= size) {
      body.destroy();
      throw rangeNotSatisfiable(range, size);
    }
    return {
      body,
      size,
      contentLength,
      contentType: response.ContentType,
      range: { start: range.start, end: range.end },
    };
  }

  async head(key: StorageKey): Promise<StoredObjectInfo | null> {
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: parseStorageKey(key) }),
      );
      return {
        key,
        size: response.ContentLength ?? 0,
        contentType: response.ContentType,
        lastModified: response.LastModified,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async exists(key: StorageKey): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: StorageKey): Promise<void> {
    // S3 answers 204 for a missing key too.
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: parseStorageKey(key) }),
    );
  }

  async *list(prefix: string): AsyncIterable<StoredObjectInfo> {
    for await (const object of this.listRaw(storagePrefix(prefix))) {
      let key: StorageKey;
      try {
        key = parseStorageKey(object.key);
      } catch {
        continue; // not written by us: no StorageKey can name it (deletePrefix still removes it)
      }
      yield { key, size: object.size, lastModified: object.lastModified };
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    return this.deleteRaw(storagePrefix(prefix));
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Creates the bucket unless it exists (setup and tests; production buckets are provisioned). */
  async createBucketIfMissing(): Promise<void> {
    try {
      await this.ping();
      return;
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
    try {
      // AWS outside us-east-1 needs a location constraint; radosgw/MinIO reject one that does not
      // match their zone group, so send none to a custom endpoint.
      const needsLocation = !this.hasCustomEndpoint && this.region !== 'us-east-1';
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          ...(needsLocation && {
            CreateBucketConfiguration: {
              LocationConstraint: this.region as BucketLocationConstraint,
            },
          }),
        }),
      );
    } catch (error) {
      const name = errorName(error);
      if (name !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }

  /** Removes every object, aborts pending multipart uploads and deletes the bucket (tests). */
  async destroyBucket(): Promise<void> {
    for (const upload of await this.pendingUploads('')) {
      await this.client.send(
        new AbortMultipartUploadCommand({
          Bucket: this.bucket,
          Key: upload.key,
          UploadId: upload.uploadId,
        }),
      );
    }
    await this.deleteRaw('');
    await this.client.send(new DeleteBucketCommand({ Bucket: this.bucket }));
  }

  /** Multipart uploads started and neither completed nor aborted (tests check none leak). */
  async pendingUploads(prefix: string): Promise<{ key: string; uploadId: string }[]> {
    const uploads: { key: string; uploadId: string }[] = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: prefix,
          KeyMarker,
          UploadIdMarker,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key !== undefined && upload.UploadId !== undefined) {
          uploads.push({ key: upload.Key, uploadId: upload.UploadId });
        }
      }
      if (page.IsTruncated !== true) return uploads;
      KeyMarker = page.NextKeyMarker;
      UploadIdMarker = page.NextUploadIdMarker;
    }
  }

  /** Closes the client's sockets. */
  close(): void {
    this.client.destroy();
  }

  private async *listRaw(
    prefix: string,
  ): AsyncGenerator<{ key: string; size: number; lastModified?: Date }> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified };
      }
      ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
  }

  private async deleteRaw(prefix: string): Promise<number> {
    let deleted = 0;
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const keys = batch;
      batch = [];
      const response = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const errors = response.Errors ?? [];
      if (errors.length > 0) {
        const first = errors[0];
        throw new Error(
          `S3 DeleteObjects failed for ${errors.length} key(s), first ${String(first?.Key)}: ${String(first?.Code)} ${String(first?.Message)}`,
        );
      }
      deleted += keys.length;
    };
    // Listing pages and deleting in between is safe: ListObjectsV2 continues after the last
    // key returned, whatever was deleted since.
    for await (const object of this.listRaw(prefix)) {
      batch.push(object.key);
      if (batch.length >= DELETE_BATCH) await flush();
    }
    await flush();
    return deleted;
  }
}

/** Passes bytes through while counting them and hashing them with SHA-256. */
class HashingTransform extends Transform {
  // Not `size`/`length`/`byteLength`: lib-storage reads those as the body's total length.
  bytesSeen = 0;
  private readonly hash = createHash('sha256');

  override _transform(
    chunk: unknown,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string);
    this.hash.update(bytes);
    this.bytesSeen += bytes.length;
    callback(null, bytes);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

function assertRangeShape(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end) {
    throw rangeNotSatisfiable(range);
  }
}

function rangeNotSatisfiable(range: ByteRange | undefined, size?: number): AppError {
  return new AppError('range_not_satisfiable', 416, 'requested range not satisfiable', {
    start: range?.start,
    end: range?.end,
    size,
  });
}

/** `bytes 0-9/1234` → 1234. */
function totalFromContentRange(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /\/(\d+)$/.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function httpStatus(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** A missing object; a missing bucket is a configuration error and stays an error. */
function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  return name === 'NoSuchKey' || (httpStatus(error) === 404 && name !== 'NoSuchBucket');
}
