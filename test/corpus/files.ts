import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import {
  audioOnlyFixture,
  decompressionBombPng,
  exifRotatedJpeg,
  gifImage,
  htmlNamedMp4,
  svgImage,
  textFileNamedJpg,
  tinyImage,
  truncatedJpeg,
  videoFixture,
} from '../fixtures/media.js';

/**
 * The bad-input corpus's files, made at test time (sharp, ffmpeg, plain bytes): nothing binary
 * is committed. ffmpeg output goes to a temp folder of this process; each file is made once.
 */

const execFileAsync = promisify(execFile);
let workDir: string | undefined;
const memo = new Map<string, Promise<Buffer>>();

function once(name: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let promise = memo.get(name);
  if (!promise) {
    promise = make();
    memo.set(name, promise);
  }
  return promise;
}

const fixture = (make: () => Promise<string>) => async () => readFile(await make());

async function ffmpeg(name: string, args: string[]): Promise<Buffer> {
  workDir ??= mkdtempSync(path.join(os.tmpdir(), 'vertex-corpus-'));
  const target = path.join(workDir, name);
  await execFileAsync(
    'ffmpeg',
    ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args, target],
    { timeout: 60_000 },
  );
  return readFile(target);
}

const testVideo = (size: string, rate: number, seconds: number) => [
  ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`],
];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

const HTML = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n';

const plainJpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#5a8' } })
    .jpeg()
    .toBuffer();

/** Replaces the frame size in a JPEG's SOF0 segment: the header claims what the pixels are not. */
function withJpegSize(jpeg: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(jpeg);
  const sof = copy.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('no SOF0 segment');
  copy.writeUInt16BE(height, sof + 5);
  copy.writeUInt16BE(width, sof + 7);
  return copy;
}

/** A JPEG comment segment (FF FE) right after SOI. */
function withJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.alloc(4 + body.length);
  segment.set([0xff, 0xfe], 0);
  segment.writeUInt16BE(body.length + 2, 2);
  body.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

export const corpusFiles = {
  empty: () => Promise.resolve(Buffer.alloc(0)),
  svgScript: fixture(svgImage),
  pngBomb: fixture(decompressionBombPng),
  truncatedJpeg: fixture(truncatedJpeg),
  textAsJpeg: fixture(textFileNamedJpg),
  gif: fixture(gifImage),
  tiny: fixture(tinyImage),
  gpsPhoto: fixture(exifRotatedJpeg),
  audioOnly: fixture(audioOnlyFixture),
  htmlAsMp4: fixture(htmlNamedMp4),
  validVideo: fixture(videoFixture),
  /** Valid 800×600 JPEG (no metadata). */
  photo: () => once('photo', () => plainJpeg(800, 600)),
  /** HTML first, then a whole JPEG: a browser sniffing it sees a page. */
  htmlThenJpeg: () =>
    once('htmlThenJpeg', async () => Buffer.concat([Buffer.from(HTML), await plainJpeg(800, 600)])),
  /** A valid JPEG carrying HTML in a comment segment and after its end: JPEG and HTML at once. */
  jpegHtmlPolyglot: () =>
    once('jpegHtmlPolyglot', async () =>
      Buffer.concat([withJpegComment(await plainJpeg(800, 600), HTML), Buffer.from(HTML)]),
    ),
  /** 64×64 pixels whose header claims 60000×60000 (3.6 Gpx). */
  hugeDimensionsJpeg: () =>
    once('hugeDimensionsJpeg', async () => withJpegSize(await plainJpeg(64, 64), 60_000, 60_000)),
  /** 30000×16: few pixels, absurd shape (shorter side far below the minimum). */
  stripPng: () =>
    once('stripPng', () =>
      sharp({ create: { width: 30_000, height: 16, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
    ),
  truncatedPng: () =>
    once('truncatedPng', async () => {
      const whole = await sharp({
        create: {
          width: 800,
          height: 600,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .png()
        .toBuffer();
      return whole.subarray(0, Math.floor(whole.length / 2));
    }),
  /** JPEG magic bytes followed by noise. */
  jpegMagicOnly: () =>
    once('jpegMagicOnly', () =>
      Promise.resolve(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), noise(8192)])),
    ),
  pdf: () => Promise.resolve(Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')),
  zip: () => Promise.resolve(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), noise(2048)])),
  exe: () => Promise.resolve(Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), noise(2048)])),
  /** An `ftyp` box claiming MP4, then noise: no `moov`, nothing to play. */
  mp4HeaderOnly: () =>
    once('mp4HeaderOnly', () => {
      const ftyp = Buffer.alloc(24);
      ftyp.writeUInt32BE(24, 0);
      ftyp.write('ftypisom', 4, 'latin1');
      ftyp.writeUInt32BE(512, 12);
      ftyp.write('isomiso2', 16, 'latin1');
      return Promise.resolve(Buffer.concat([ftyp, noise(16_384)]));
    }),
  /** The first 30 % of a valid, phone-ready MP4 (`moov` first, so its header looks whole). */
  truncatedMp4: () =>
    once('truncatedMp4', async () => {
      const whole = await readFile(await videoFixture());
      return whole.subarray(0, Math.floor(whole.length * 0.3));
    }),
  /** 310 s (over the default VIDEO_MAX_SECONDS of 300) at 1 fps: cheap to make. */
  longVideo: () =>
    once('longVideo', () =>
      ffmpeg('long.mp4', [
        ...testVideo('320x240', 1, 310),
        ...h264,
        ...['-movflags', '+faststart', '-f', 'mp4'],
      ]),
    ),
  avi: () =>
    once('avi', () =>
      ffmpeg('clip.avi', [...testVideo('320x240', 25, 1), '-c:v', 'mpeg4', '-f', 'avi']),
    ),
  mkv: () =>
    once('mkv', () =>
      ffmpeg('clip.mkv', [...testVideo('320x240', 25, 1), ...h264, '-f', 'matroska']),
    ),
  /** Phone-ready H.264 MP4 whose container says where it was filmed (and a title, a comment). */
  gpsVideo: () =>
    once('gpsVideo', () =>
      ffmpeg('gps.mp4', [
        ...testVideo('320x240', 25, 1),
        ...h264,
        ...[
          '-metadata',
          'location=+51.5007-000.1246/',
          '-metadata',
          'location-eng=+51.5007-000.1246/',
        ],
        ...['-metadata', 'title=Secret Title', '-metadata', 'comment=Secret Comment'],
        ...['-movflags', '+faststart+use_metadata_tags', '-f', 'mp4'],
      ]),
    ),
} satisfies Record<string, () => Promise<Buffer>>;

export type CorpusFile = keyof typeof corpusFiles;

/** Deterministic filler (no randomness: a failing case must fail the same way again). */
function noise(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 0x2545f491;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}
