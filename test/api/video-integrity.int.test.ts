import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src/jobs/job-kinds.js';
import {
  corruptFramesMp4Fixture,
  overstatedDurationMp4Fixture,
  truncatedMp4Fixture,
  truncatedWebmFixture,
  understatedDurationMp4Fixture,
} from '../fixtures/media.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { runJobHandler } from '../support/jobs.js';
import { multipartBody, type FilePart } from '../support/multipart.js';
import {
  domainRowCounts,
  fixtureParts,
  placeOrder,
  postOrder,
  storedKeys,
} from '../support/studio.js';

const part = async (file: string): Promise<FilePart> => ({
  content: await readFile(file),
  filename: `clip${path.extname(file)}`,
  contentType: path.extname(file) === '.webm' ? 'video/webm' : 'video/mp4',
});

/**
 * Security review, issue 9: a truncated MP4 and an MP4 whose header lies about its length were
 * accepted, marked `ready` and served. Header checks refuse them at upload; a full decode in the
 * video job fails what only decoding reveals.
 */
describe('broken videos never become ready', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let portraitId: string;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    ({ portraitId } = await placeOrder(t, operator, {
      clientName: 'Integrity Client',
      clientPhone: '+7 999 654 00 01',
    }));
  });
  afterAll(() => t.close());

  const upload = async (video: FilePart) => {
    const body = multipartBody({}, { video });
    return t.app.inject({
      method: 'POST',
      url: `/api/portraits/${portraitId}/videos`,
      headers: { ...body.headers, ...bearer(operator) },
      payload: body.payload,
    });
  };

  it.each([
    ['the first 30 % of an MP4', truncatedMp4Fixture, 'video_truncated'],
    [
      'an hour of frames whose header says 5 s',
      understatedDurationMp4Fixture,
      'video_duration_mismatch',
    ],
    [
      '4 s of frames whose header says 200 s',
      overstatedDurationMp4Fixture,
      'video_duration_mismatch',
    ],
  ] as const)(
    'refuses %s at upload with 422 and leaves nothing behind',
    async (_name, fixture, code) => {
      const rows = await domainRowCounts(t);
      const keys = await storedKeys(t);
      const response = await upload(await part(await fixture()));
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json()).toMatchObject({ error: { code } });
      expect(await domainRowCounts(t)).toEqual(rows);
      expect(await storedKeys(t)).toEqual(keys);
    },
  );

  it('refuses a truncated MP4 in a new order too', async () => {
    const rows = await domainRowCounts(t);
    const parts = await fixtureParts();
    const response = await postOrder(t, operator, {
      fields: { clientName: 'Cut Short', clientPhone: '+7 999 654 00 02' },
      files: { ...parts, video: await part(await truncatedMp4Fixture()) },
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({ error: { code: 'video_truncated' } });
    expect(await domainRowCounts(t)).toEqual(rows);
  });

  it.each([
    ['damaged frames in a sound MP4 container', corruptFramesMp4Fixture, /damaged frames/],
    ['a truncated WebM (no index to tell at upload)', truncatedWebmFixture, /cut short/],
  ] as const)(
    'fails %s in the video job, for good, and serves nothing',
    { timeout: 60_000 },
    async (_name, fixture, reason) => {
      const accepted = await upload(await part(await fixture()));
      expect(accepted.statusCode, accepted.body).toBe(202);
      const videoId = accepted.json<{ id: string }>().id;

      await expect(runJobHandler(t, JOB_KINDS.video.kind, { videoId })).rejects.toMatchObject({
        permanent: true,
      });

      const list = await t.app.inject({
        url: `/api/portraits/${portraitId}/videos`,
        headers: bearer(operator),
      });
      const item = list
        .json<{ items: { id: string; status: string; error?: string }[] }>()
        .items.find((video) => video.id === videoId);
      expect(item).toMatchObject({ status: 'failed' });
      expect(item?.error).toMatch(reason);
      const served = await t.app.inject({ url: `/media/videos/${videoId}/video.mp4` });
      expect(served.statusCode).toBe(404);
      const keys = await storedKeys(t);
      expect(
        keys.filter((key) => key.startsWith(`videos/${videoId}/`) && !key.includes('original')),
      ).toEqual([]);
    },
  );
});
