import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { SNIFF_BYTES } from '../infra/media/sniff.js';
import { AppError } from '../shared/errors.js';
import { UNSAFE_TEXT } from './schema-helpers.js';

export interface FileFieldSpec {
  maxBytes: number;
  required: boolean;
  /** Looks at the first bytes and throws an AppError when the content is not acceptable. */
  checkHeader(header: Buffer): string;
}

export interface TextFieldSpec {
  maxLength: number;
  required: boolean;
}

export interface ReceivedFile {
  path: string;
  size: number;
  sha256: string;
  /** What `checkHeader` recognised (e.g. `jpeg`, `mp4`). */
  detected: string;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  files: Record<string, ReceivedFile>;
  /** Removes every temp file; call it whatever happens. */
  cleanup(): Promise<void>;
}

// Enough for the type sniffer (an ftyp brand list, an EBML header).
const HEADER_BYTES = SNIFF_BYTES;

/** Counts, hashes and sniffs a file part as it streams to disk; aborts past the size limit. */
class InspectingStream extends Transform {
  size = 0;
  detected: string | undefined;
  private header = Buffer.alloc(0);
  private readonly hash = createHash('sha256');

  constructor(
    private readonly field: string,
    private readonly spec: FileFieldSpec,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.spec.maxBytes) {
      callback(
        new AppError('too_large', 413, `${this.field} is larger than ${this.spec.maxBytes} bytes`, {
          field: this.field,
          maxBytes: this.spec.maxBytes,
        }),
      );
      return;
    }
    try {
      if (this.detected === undefined) {
        this.header = Buffer.concat([this.header, chunk]);
        if (this.header.length >= HEADER_BYTES) this.detected = this.spec.checkHeader(this.header);
      }
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.detected ??= this.spec.checkHeader(this.header);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * The parser's (busboy's) own errors are plain `Error`s, so they would be 500s: a body without
 * a boundary, with a boundary it never uses, or that ends before its closing boundary is the
 * client's mistake.
 */
const MALFORMED_MULTIPART = [
  /^Multipart: Boundary not found$/,
  /unexpected end of multipart data$/i,
  /^The needle cannot/, // an empty boundary, or one longer than 256 characters
];

function malformedMultipart(error: unknown): AppError | undefined {
  if (error instanceof AppError || !(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code;
  // The client went away mid-body (or was cut off for sending too slowly): nobody reads the
  // answer, but it is not a server failure either.
  const premature = code === 'FST_MP_PREMATURE_CLOSE' || code === 'ECONNRESET';
  if (!premature && !MALFORMED_MULTIPART.some((pattern) => pattern.test(error.message))) {
    return undefined;
  }
  return new AppError(
    'invalid_multipart',
    400,
    premature
      ? 'the upload ended before the multipart body was complete'
      : `malformed multipart/form-data body: ${error.message}`,
  );
}

const closed = (stream: WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.closed) resolve();
    else
      stream.once('close', () => {
        resolve();
      });
  });

/**
 * Streams a multipart request: file parts go to temp files under `tmpDir` (never whole in
 * memory), checked by content and size while they stream; text fields are collected. Unknown
 * or repeated fields, missing required ones and oversize parts are 4xx errors, and every temp
 * file is removed on any error.
 */
export async function receiveMultipart(
  request: FastifyRequest,
  tmpDir: string,
  spec: { files: Record<string, FileFieldSpec>; fields: Record<string, TextFieldSpec> },
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) {
    throw new AppError('unsupported_media_type', 415, 'send multipart/form-data');
  }
  // Uploads in flight are customers' files: private directory, private files.
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  const fields: Record<string, string> = {};
  const files: Record<string, ReceivedFile> = {};
  const tempPaths: string[] = [];
  const writers: WriteStream[] = [];
  const cleanup = async () => {
    // A writer destroyed by a refused part may still be opening its file: removing the path
    // before it has closed would leave the file behind.
    await Promise.all(writers.map(closed));
    await Promise.all(tempPaths.map((p) => rm(p, { force: true })));
  };

  try {
    for await (const part of request.parts()) {
      const seen = part.fieldname in fields || part.fieldname in files;
      if (seen)
        throw new AppError('validation_failed', 400, `field ${part.fieldname} was sent twice`);
      if (part.type === 'file') {
        const fileSpec = spec.files[part.fieldname];
        if (fileSpec === undefined) {
          throw new AppError('validation_failed', 400, `unexpected file field ${part.fieldname}`);
        }
        const target = path.join(tmpDir, `${randomUUID()}.upload`);
        tempPaths.push(target);
        const inspector = new InspectingStream(part.fieldname, fileSpec);
        const writer = createWriteStream(target, { flags: 'wx', mode: 0o600 });
        writers.push(writer);
        await pipeline(part.file, inspector, writer);
        if (inspector.size === 0) {
          throw new AppError('validation_failed', 400, `${part.fieldname} is empty`, {
            field: part.fieldname,
          });
        }
        files[part.fieldname] = {
          path: target,
          size: inspector.size,
          sha256: inspector.digest(),
          detected: inspector.detected ?? 'unknown',
        };
      } else {
        const fieldSpec = spec.fields[part.fieldname];
        if (fieldSpec === undefined) {
          throw new AppError('validation_failed', 400, `unexpected field ${part.fieldname}`);
        }
        const value = typeof part.value === 'string' ? part.value.trim() : '';
        if (value.length > fieldSpec.maxLength) {
          throw new AppError('validation_failed', 400, `${part.fieldname} is too long`, {
            field: part.fieldname,
            maxLength: fieldSpec.maxLength,
          });
        }
        if (UNSAFE_TEXT.test(value)) {
          throw new AppError(
            'validation_failed',
            400,
            `${part.fieldname} contains control or bidirectional-override characters`,
            { field: part.fieldname },
          );
        }
        fields[part.fieldname] = value;
      }
    }
    const missing = [
      ...Object.entries(spec.fields)
        .filter(([n, s]) => s.required && !fields[n])
        .map(([n]) => n),
      ...Object.entries(spec.files)
        .filter(([n, s]) => s.required && !(n in files))
        .map(([n]) => n),
    ];
    if (missing.length > 0) {
      throw new AppError(
        'validation_failed',
        400,
        `missing required field(s): ${missing.join(', ')}`,
        {
          missing,
        },
      );
    }
    return { fields, files, cleanup };
  } catch (error) {
    await cleanup();
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('too_large', 413, 'file is too large');
    }
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new AppError('validation_failed', 400, 'too many parts in the upload');
    }
    const malformed = malformedMultipart(error);
    if (malformed !== undefined) throw malformed;
    throw error;
  }
}
