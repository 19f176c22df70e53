import { describe, expect, it } from 'vitest';
import {
  corruptFramesMp4Fixture,
  truncatedWebmFixture,
  understatedDurationMp4Fixture,
  videoFixture,
} from '../../../test/fixtures/media.js';
import { decodeVideoFully } from './index.js';

/** The full decode of the video job on real files and the real Debian ffmpeg. */
describe('decodeVideoFully', () => {
  it('decodes every frame of a sound video and measures how long it plays', async () => {
    expect(await decodeVideoFully(await videoFixture(), { claimedSeconds: 4 })).toEqual({
      frames: 100,
      durationSeconds: 4,
    });
  });

  it('finds an hour of frames behind a 5 s header, even without the header checks', async () => {
    await expect(
      decodeVideoFully(await understatedDurationMp4Fixture(), { claimedSeconds: 5 }),
    ).rejects.toMatchObject({ code: 'video_duration_mismatch', httpStatus: 422, permanent: true });
  });

  it('applies the length limit to the frames, not to the header', async () => {
    await expect(
      decodeVideoFully(await videoFixture(), { claimedSeconds: 4, maxDurationSeconds: 3 }),
    ).rejects.toMatchObject({ code: 'video_too_long' });
  });

  it.each([
    ['damaged frames', corruptFramesMp4Fixture, 4, 'video_corrupt'],
    ['a cut-off WebM', truncatedWebmFixture, 3, 'video_truncated'],
  ] as const)('refuses %s', async (_name, fixture, claimedSeconds, code) => {
    await expect(decodeVideoFully(await fixture(), { claimedSeconds })).rejects.toMatchObject({
      code,
      permanent: true,
    });
  });
});
