import { createHash } from 'node:crypto';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface FileSum {
  size: number;
  sha256: string;
}

/** Hashes and counts the bytes passing through. */
export function meter(): { stream: Transform; sum: () => FileSum } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, sum: () => ({ size, sha256: hash.digest('hex') }) };
}

/** Swallows a stream (reading it to the end is what checks it). */
export function discard(): Writable {
  return new Writable({
    write: (_chunk, _encoding, done) => {
      done();
    },
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

export const sameSum = (a: FileSum, b: FileSum) => a.size === b.size && a.sha256 === b.sha256;

/** `source` seen through a meter; an error of the source errors the result. */
export function metered(source: Readable): { stream: Readable; sum: () => FileSum } {
  const measured = meter();
  source.on('error', (error) => measured.stream.destroy(error));
  return { stream: source.pipe(measured.stream), sum: measured.sum };
}
