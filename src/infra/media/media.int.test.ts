import { mkdir, mkdtemp, readdir, stat, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  audioOnlyFixture,
  avifImage,
  decompressionBombPng,
  exifRotatedJpeg,
  gifImage,
  htmlNamedMp4,
  largePhotoJpeg,
  moovAtEndFixture,
  movFixture,
  pngWithAlpha,
  svgImage,
  textFileNamedJpg,
  tinyImage,
  truncatedJpeg,
  videoFixture,
  webmFixture,
} from '../../../test/fixtures/media.js';
import {
  checkFfmpeg,
  extractPoster,
  isPhonePlayable,
  planVideo,
  probeImage,
  probeVideo,
  processPortrait,
  readTopLevelAtoms,
  remuxFaststart,
  sniffFile,
  transcodeForPhones,
} from './index.js';

/**
 * The media layer against real files made by `test/fixtures/media.ts`, real sharp and the real
 * Debian ffmpeg/ffprobe. Uses no backend (it runs once per backend project all the same).
 */

let out: string;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'vtest-media-'));
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** A fresh empty directory per test, so "no file left behind" is checkable. */
let dirCount = 0;
async function freshDir(): Promise<string> {
  const dir = path.join(out, String(dirCount++));
  await mkdir(dir);
  return dir;
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const start = (y * info.width + x) * info.channels;
  return Array.from(data.subarray(start, start + info.channels));
}

/** Top-level atom types in order, e.g. ['ftyp', 'moov', 'mdat']. */
const atomOrder = async (file: string): Promise<string[]> =>
  (await readTopLevelAtoms(file)).map((atom) => atom.type).filter((t) => t !== 'free');

describe('checkFfmpeg', () => {
  it('finds ffmpeg, ffprobe and the encoders', async () => {
    const info = await checkFfmpeg();
    expect(info.ffmpeg.version).toMatch(/^\d/);
    expect(info.ffprobe.version).toMatch(/^\d/);
    expect(info.encoders).toEqual({ libx264: true, aac: true, mjpeg: true });
  });

  it('reports a missing binary as ffmpeg_unavailable', async () => {
    await expect(
      checkFfmpeg({ ffmpeg: '/nonexistent/ffmpeg', ffprobe: '/nonexistent/ffprobe' }),
    ).rejects.toMatchObject({ code: 'ffmpeg_unavailable', httpStatus: 503 });
  });
});

describe('sniffFile on the fixtures', () => {
  it.each([
    ['largePhotoJpeg', largePhotoJpeg, 'image', 'jpeg'],
    ['pngWithAlpha', pngWithAlpha, 'image', 'png'],
    ['avifImage', avifImage, 'image', 'avif'],
    ['videoFixture', videoFixture, 'video', 'mp4'],
    ['movFixture', movFixture, 'video', 'mov'],
    ['webmFixture', webmFixture, 'video', 'webm'],
    ['svgImage', svgImage, 'rejected', 'svg'],
    ['textFileNamedJpg', textFileNamedJpg, 'rejected', 'text'],
    ['htmlNamedMp4', htmlNamedMp4, 'rejected', 'html'],
    ['gifImage', gifImage, 'rejected', 'gif'],
  ] as const)('%s', async (_name, fixture, kind, type) => {
    expect(await sniffFile(await fixture())).toEqual({ kind, type });
  });
});

describe('probeImage', () => {
  it('reads a JPEG, a PNG with alpha and an AVIF', async () => {
    expect(await probeImage(await largePhotoJpeg())).toEqual({
      format: 'jpeg',
      width: 2000,
      height: 1500,
      hasAlpha: false,
      orientation: 1,
    });
    expect(await probeImage(await pngWithAlpha())).toMatchObject({
      format: 'png',
      width: 640,
      height: 480,
      hasAlpha: true,
    });
    expect(await probeImage(await avifImage())).toMatchObject({ format: 'avif', width: 480 });
  });

  it('reports the upright size of an EXIF-rotated photo', async () => {
    expect(await probeImage(await exifRotatedJpeg())).toMatchObject({
      width: 600,
      height: 800,
      orientation: 6,
    });
  });

  it.each([
    ['text named .jpg', textFileNamedJpg, 'unsupported_media', 415],
    ['SVG with a script', svgImage, 'unsupported_media', 415],
    ['GIF', gifImage, 'unsupported_media', 415],
    ['a video', videoFixture, 'unsupported_media', 415],
    ['truncated JPEG', truncatedJpeg, 'image_corrupt', 422],
    ['200×200 image', tinyImage, 'image_too_small', 422],
    ['30000×30000 PNG bomb', decompressionBombPng, 'image_too_large', 413],
  ] as const)('rejects a %s', async (_name, fixture, code, httpStatus) => {
    await expect(probeImage(await fixture())).rejects.toMatchObject({ code, httpStatus });
  });

  it('keeps the bomb small on disk and refuses it before decoding', async () => {
    const bomb = await decompressionBombPng();
    expect((await stat(bomb)).size).toBeLessThan(256 * 1024);
    const started = performance.now();
    await expect(probeImage(bomb)).rejects.toMatchObject({ code: 'image_too_large' });
    await expect(processPortrait(bomb)).rejects.toMatchObject({ code: 'image_too_large' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('applies a configured minimum side', async () => {
    await expect(
      probeImage(await largePhotoJpeg(), { maxPixels: 50_000_000, minSide: 1600 }),
    ).rejects.toMatchObject({ code: 'image_too_small', details: { width: 2000, height: 1500 } });
  });
});

describe('processPortrait', () => {
  it('turns an EXIF-rotated photo upright and strips all metadata', async () => {
    const result = await processPortrait(await exifRotatedJpeg());
    expect(result.source).toEqual({ width: 600, height: 800 });
    expect(result.display).toMatchObject({ width: 600, height: 800 });
    expect(result.thumbnails.map((t) => [t.size, t.width, t.height])).toEqual([
      [320, 240, 320],
      [640, 480, 640],
    ]);
    const outputs = [result.display, ...result.thumbnails].flatMap((r) => [r.jpeg, r.webp]);
    for (const output of outputs) {
      const metadata = await sharp(output).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(metadata.icc).toBeUndefined();
      expect(metadata.xmp).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
      expect(output.includes('Secret Photographer')).toBe(false);
    }
    expect((await sharp(result.display.jpeg).metadata()).format).toBe('jpeg');
    expect((await sharp(result.display.webp).metadata()).format).toBe('webp');
    // Stored: red left, blue right; orientation 6 turns it clockwise: red on top.
    const [top, bottom] = await Promise.all([
      pixel(result.display.jpeg, 300, 100),
      pixel(result.display.jpeg, 300, 700),
    ]);
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200);
    expect(bottom[0]).toBeLessThan(60);
  });

  it('bounds the display copy to 1600 px and makes 320/640 thumbnails', async () => {
    const result = await processPortrait(await largePhotoJpeg());
    expect(result.source).toEqual({ width: 2000, height: 1500 });
    expect([result.display.width, result.display.height]).toEqual([1600, 1200]);
    expect(result.thumbnails.map((t) => [t.width, t.height])).toEqual([
      [320, 240],
      [640, 480],
    ]);
    expect(await sharp(result.display.jpeg).metadata()).toMatchObject({ width: 1600 });
  });

  it('flattens transparency onto white', async () => {
    const result = await processPortrait(await pngWithAlpha(), { thumbnailSizes: [320] });
    for (const output of [result.display.jpeg, result.display.webp, result.thumbnails[0]?.webp]) {
      if (!output) throw new Error('missing output');
      const metadata = await sharp(output).metadata();
      expect(metadata.hasAlpha).toBe(false);
      expect(metadata.channels).toBe(3);
      expect(metadata.space).toBe('srgb');
    }
    const [left, right] = await Promise.all([
      pixel(result.display.webp, 100, 240),
      pixel(result.display.webp, 540, 240),
    ]);
    expect(Math.min(...left)).toBeGreaterThan(240); // white where it was transparent
    expect(right[0]).toBeGreaterThan(200);
    expect(right[1]).toBeLessThan(60);
  });

  it('refuses a truncated JPEG', async () => {
    await expect(processPortrait(await truncatedJpeg())).rejects.toMatchObject({
      code: 'image_corrupt',
    });
  });
});

describe('probeVideo and planVideo', () => {
  it('judges the H.264/AAC faststart MP4 already phone-ready', async () => {
    const probe = await probeVideo(await videoFixture());
    expect(probe).toMatchObject({
      container: 'mp4',
      width: 640,
      height: 360,
      rotation: 0,
      videoCodec: 'h264',
      pixelFormat: 'yuv420p',
      audioCodec: 'aac',
      faststart: true,
    });
    expect(probe.durationSeconds).toBeCloseTo(4, 0);
    expect(probe.sizeBytes).toBeGreaterThan(0);
    expect(isPhonePlayable(probe)).toBe(true);
    expect(planVideo(probe)).toEqual({ action: 'keep', reasons: [] });
  });

  it('sends a VP9/Opus WebM to the transcoder', async () => {
    const probe = await probeVideo(await webmFixture());
    expect(probe).toMatchObject({
      container: 'webm',
      width: 360,
      height: 640,
      videoCodec: 'vp9',
      audioCodec: 'opus',
      faststart: null,
    });
    expect(isPhonePlayable(probe)).toBe(false);
    expect(planVideo(probe).action).toBe('transcode');
  });

  it('reads the rotation of a MOV and plans a remux into MP4', async () => {
    const probe = await probeVideo(await movFixture());
    expect(probe).toMatchObject({ container: 'mov', rotation: 90, width: 240, height: 320 });
    expect(isPhonePlayable(probe)).toBe(true);
    expect(planVideo(probe)).toEqual({ action: 'remux', reasons: ['container mov'] });
  });

  it.each([
    ['audio only', audioOnlyFixture, 'video_no_video_stream', 422],
    ['HTML named .mp4', htmlNamedMp4, 'unsupported_media', 415],
    ['a photo', largePhotoJpeg, 'unsupported_media', 415],
  ] as const)('rejects %s', async (_name, fixture, code, httpStatus) => {
    await expect(probeVideo(await fixture())).rejects.toMatchObject({ code, httpStatus });
  });

  it('rejects an MP4 header followed by junk as unreadable', async () => {
    const file = path.join(await freshDir(), 'junk.mp4');
    const ftyp = Buffer.from('00000018667479706973366d0000020069736f6d61766331', 'hex');
    await writeFile(file, Buffer.concat([ftyp, Buffer.alloc(4096, 0x5a)]));
    await expect(probeVideo(file)).rejects.toMatchObject({ code: 'unsupported_media' });
  });

  it('applies configured duration and dimension limits', async () => {
    const video = await videoFixture();
    await expect(probeVideo(video, { limits: { maxDurationSeconds: 2 } })).rejects.toMatchObject({
      code: 'video_too_long',
      httpStatus: 422,
    });
    await expect(probeVideo(video, { limits: { minSide: 480 } })).rejects.toMatchObject({
      code: 'video_bad_dimensions',
    });
    await expect(probeVideo(video, { limits: { maxSide: 320 } })).rejects.toMatchObject({
      code: 'video_bad_dimensions',
    });
  });
});

describe('ffmpeg operations', () => {
  it('transcodes the WebM into a phone-playable faststart MP4', async () => {
    const output = path.join(await freshDir(), 'video.mp4');
    await transcodeForPhones(await webmFixture(), output, { threads: 2 });
    const probe = await probeVideo(output);
    expect(probe).toMatchObject({
      container: 'mp4',
      videoCodec: 'h264',
      pixelFormat: 'yuv420p',
      audioCodec: 'aac',
      width: 360,
      height: 640,
      faststart: true,
    });
    expect(probe.durationSeconds).toBeCloseTo(3, 0);
    expect(isPhonePlayable(probe)).toBe(true);
    expect(planVideo(probe).action).toBe('keep');
    const atoms = await atomOrder(output);
    expect(atoms.indexOf('moov')).toBeGreaterThan(-1);
    expect(atoms.indexOf('moov')).toBeLessThan(atoms.indexOf('mdat'));
  });

  it('bakes the rotation into the pixels when transcoding, bounding the short side', async () => {
    const output = path.join(await freshDir(), 'video.mp4');
    await transcodeForPhones(await movFixture(), output, { maxShortSide: 120, threads: 2 });
    const probe = await probeVideo(output);
    expect(probe).toMatchObject({ rotation: 0, width: 120, height: 160 });
  });

  it('moves moov to the front with a stream copy', async () => {
    const input = await moovAtEndFixture();
    expect(await atomOrder(input)).toEqual(['ftyp', 'mdat', 'moov']);
    const before = await probeVideo(input);
    expect(planVideo(before)).toEqual({ action: 'remux', reasons: ['moov atom at the end'] });
    const output = path.join(await freshDir(), 'video.mp4');
    await remuxFaststart(input, output);
    expect(await atomOrder(output)).toEqual(['ftyp', 'moov', 'mdat']);
    const after = await probeVideo(output);
    expect(planVideo(after).action).toBe('keep');
    expect(after.durationSeconds).toBeCloseTo(before.durationSeconds, 1);
  });

  it('remuxes a rotated MOV into MP4 keeping its rotation', async () => {
    const output = path.join(await freshDir(), 'video.mp4');
    await remuxFaststart(await movFixture(), output);
    const probe = await probeVideo(output);
    expect(probe).toMatchObject({ container: 'mp4', rotation: 90, width: 240, height: 320 });
    expect(planVideo(probe).action).toBe('keep');
  });

  it('extracts a JPEG poster frame at the video size', async () => {
    const dir = await freshDir();
    const output = path.join(dir, 'poster.jpg');
    await extractPoster(await videoFixture(), output, { durationSeconds: 4 });
    expect(await sniffFile(output)).toEqual({ kind: 'image', type: 'jpeg' });
    expect(await sharp(output).metadata()).toMatchObject({ width: 640, height: 360 });
    // Past the end (a wrong duration): falls back to the first frame instead of failing.
    const late = path.join(dir, 'late.jpg');
    await extractPoster(await videoFixture(), late, { atSeconds: 60, maxSide: 320 });
    expect(await sharp(late).metadata()).toMatchObject({ width: 320, height: 180 });
    // Upright: the rotation is applied to the frame.
    const upright = path.join(dir, 'upright.jpg');
    await extractPoster(await movFixture(), upright, { durationSeconds: 2 });
    expect(await sharp(upright).metadata()).toMatchObject({ width: 240, height: 320 });
    expect((await readdir(dir)).sort()).toEqual(['late.jpg', 'poster.jpg', 'upright.jpg']);
  });

  it('leaves no file behind when a transcode times out', async () => {
    const dir = await freshDir();
    const output = path.join(dir, 'video.mp4');
    await expect(
      transcodeForPhones(await webmFixture(), output, { timeoutMs: 50 }),
    ).rejects.toMatchObject({ code: 'media_timeout' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('kills ffmpeg mid-write on abort and removes the partial file', async () => {
    const dir = await freshDir();
    const input = await webmFixture();
    const controller = new AbortController();
    let sawPartial = false;
    const watcher = setInterval(() => {
      void readdir(dir).then((names) => {
        if (names.some((name) => name.endsWith('.part'))) {
          sawPartial = true;
          controller.abort();
        }
      });
    }, 5);
    try {
      await expect(
        transcodeForPhones(input, path.join(dir, 'video.mp4'), {
          signal: controller.signal,
          preset: 'medium', // slower, so the abort lands while ffmpeg is writing
          threads: 1,
        }),
      ).rejects.toMatchObject({ code: 'media_aborted' });
    } finally {
      clearInterval(watcher);
    }
    expect(sawPartial).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });
});
