import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planVideo, probeVideo, type VideoAction } from '../../src/infra/media/index.js';
import { JOB_KINDS } from '../../src/jobs/job-kinds.js';
import {
  SECRET_VIDEO_TAGS,
  taggedMovFixture,
  taggedVideoFixture,
  taggedWebmFixture,
} from '../fixtures/media.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { runJobHandler } from '../support/jobs.js';
import { multipartBody } from '../support/multipart.js';
import { placeOrder } from '../support/studio.js';

const execFileAsync = promisify(execFile);

/** What the fixtures hide in their containers, as it would appear in the file's bytes. */
const SECRETS = [
  'SecretTitle',
  'SecretComment',
  'SecretArtist',
  'SecretVideoHandler',
  'SecretAudioHandler',
  'SecretTrack',
  'SecretPhone',
  'ISO6709',
  '037.6173',
  SECRET_VIDEO_TAGS.creation_time.slice(0, 10),
];
/** The tags an MP4 written by ffmpeg always has: brands and the muxer's name. */
const MUXER_TAGS = ['major_brand', 'minor_version', 'compatible_brands', 'encoder'];
/** Per-stream fields ffmpeg writes itself (the handler names are its defaults then). */
const STREAM_TAGS = ['language', 'handler_name', 'vendor_id', 'encoder'];

interface ProbedTags {
  format: { tags?: Record<string, string> };
  streams: { codec_type: string; tags?: Record<string, string> }[];
}

async function ffprobeTags(file: string): Promise<ProbedTags> {
  const { stdout } = await execFileAsync('ffprobe', [
    ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
  ]);
  return JSON.parse(stdout) as ProbedTags;
}

/** SHA-256 of each stream's packets: equal when the streams were copied byte for byte. */
async function streamHashes(file: string): Promise<string> {
  const { stdout } = await execFileAsync('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-map', '0:a:0'],
    ...['-c', 'copy', '-f', 'streamhash', '-hash', 'sha256', '-'],
  ]);
  return stdout;
}

/**
 * Security review, issue 9: a phone-ready upload used to be stored byte for byte, so its GPS
 * position, title and comment reached the public copy. Every plan now writes a new file.
 */
describe('public videos carry no metadata of the upload', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let dir: string;
  let phone = 0;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    dir = await mkdtemp(path.join(tmpdir(), 'vtest-video-metadata-'));
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each<[VideoAction, () => Promise<string>, string]>([
    ['keep', taggedVideoFixture, 'video/mp4'],
    ['remux', taggedMovFixture, 'video/quicktime'],
    ['transcode', taggedWebmFixture, 'video/webm'],
  ])('the %s plan', { timeout: 120_000 }, async (plan, fixture, contentType) => {
    const upload = await fixture();
    expect(planVideo(await probeVideo(upload)).action).toBe(plan);
    const original = await readFile(upload);
    for (const secret of ['SecretTitle', 'SecretComment']) {
      expect(original.includes(secret)).toBe(true); // the fixture does carry them
    }

    const { portraitId } = await placeOrder(t, operator, {
      clientName: 'Metadata Client',
      clientPhone: `+7 999 321 00 ${String(++phone).padStart(2, '0')}`,
    });
    const body = multipartBody(
      {},
      { video: { content: original, filename: `clip${path.extname(upload)}`, contentType } },
    );
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/portraits/${portraitId}/videos`,
      headers: { ...body.headers, ...bearer(operator) },
      payload: body.payload,
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const videoId = accepted.json<{ id: string }>().id;
    await runJobHandler(t, JOB_KINDS.video.kind, { videoId });

    const served = await t.app.inject({ url: `/media/videos/${videoId}/video.mp4` });
    expect(served.statusCode).toBe(200);
    const bytes = served.rawPayload;
    for (const secret of SECRETS) expect(bytes.includes(secret), secret).toBe(false);
    // 3GPP `loci` holds the position in binary; no location box of any kind is left.
    for (const box of ['loci', '\u00a9xyz', 'keys']) {
      expect(bytes.includes(Buffer.from(box, 'latin1')), box).toBe(false);
    }

    const file = path.join(dir, `${plan}.mp4`);
    await writeFile(file, bytes);
    const probed = await ffprobeTags(file);
    for (const key of Object.keys(probed.format.tags ?? {})) expect(MUXER_TAGS).toContain(key);
    for (const stream of probed.streams) {
      for (const [key, value] of Object.entries(stream.tags ?? {})) {
        expect(STREAM_TAGS, `${stream.codec_type} tag ${key}`).toContain(key);
        expect(value).not.toMatch(/Secret/);
      }
    }
    if (plan !== 'transcode') {
      // Nothing was re-encoded: the same frames and samples, only a new container.
      expect(await streamHashes(file)).toBe(await streamHashes(upload));
    }

    const poster = await t.app.inject({ url: `/media/videos/${videoId}/poster.jpg` });
    expect(poster.statusCode).toBe(200);
    const meta = await sharp(poster.rawPayload).metadata();
    expect(meta).toMatchObject({ format: 'jpeg' });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
  });
});
