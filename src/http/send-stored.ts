import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ByteRange, Storage, StorageKey } from '../infra/storage/index.js';
import { AppError } from '../shared/errors.js';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Parses a single-range `Range: bytes=…` header against the object size. Returns undefined
 * for no/ignorable header (multi-range or other units: answer the whole object, as RFC 9110
 * allows), or throws 416 for an unsatisfiable range.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, startText = '', endText = ''] = match;
  let start: number;
  let end: number;
  if (startText === '') {
    if (endText === '') return undefined;
    const suffix = Number(endText);
    if (suffix === 0) throw unsatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(startText);
    end = endText === '' ? size - 1 : Math.min(Number(endText), size - 1);
  }
  if (start >= size || start > end) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): AppError {
  return new AppError('range_not_satisfiable', 416, 'requested range is outside the file', {
    size,
  });
}

/**
 * Streams a stored object with HTTP caching and Range support. The caller names the content
 * type (never taken from the upload) and the ETag (from immutable identifiers).
 */
export async function sendStored(
  request: FastifyRequest,
  reply: FastifyReply,
  storage: Storage,
  key: StorageKey,
  options: { contentType: string; etag: string; cacheControl: string },
): Promise<FastifyReply> {
  const etag = `"${options.etag}"`;
  reply
    .header('etag', etag)
    .header('cache-control', options.cacheControl)
    .header('accept-ranges', 'bytes');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  const info = await storage.head(key);
  if (info === null) throw new AppError('not_found', 404, 'file not found');
  let range: ByteRange | undefined;
  try {
    range = parseRange(request.headers.range, info.size);
  } catch (error) {
    reply.header('content-range', `bytes */${info.size}`);
    throw error;
  }
  const object = await storage.get(key, range);
  reply.header('content-type', options.contentType).header('content-length', object.contentLength);
  if (range !== undefined) {
    reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  }
  return reply.send(object.body);
}
