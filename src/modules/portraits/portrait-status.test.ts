import { describe, expect, it } from 'vitest';
import { derivePortraitStatus } from './portrait-status.js';

const ok = { status: 'ready' as const, error: null };
const busy = { status: 'processing' as const, error: null };

describe('derivePortraitStatus', () => {
  it('is ready only when images, marker and active video are all ready', () => {
    expect(
      derivePortraitStatus({ imagesReady: true, imagesError: null, marker: ok, activeVideo: ok }),
    ).toEqual({
      status: 'ready',
      error: null,
    });
    for (const input of [
      { imagesReady: false, imagesError: null, marker: ok, activeVideo: ok },
      { imagesReady: true, imagesError: null, marker: busy, activeVideo: ok },
      { imagesReady: true, imagesError: null, marker: ok, activeVideo: busy },
    ]) {
      expect(derivePortraitStatus(input).status).toBe('processing');
    }
  });

  it('is ready without an active video once the portrait itself is ready (last video deleted)', () => {
    expect(
      derivePortraitStatus({
        imagesReady: true,
        imagesError: null,
        marker: ok,
        activeVideo: undefined,
      }).status,
    ).toBe('ready');
    expect(
      derivePortraitStatus({
        imagesReady: true,
        imagesError: null,
        marker: busy,
        activeVideo: undefined,
      }).status,
    ).toBe('processing');
  });

  it('fails with the first reason when any part failed', () => {
    const failedMarker = { status: 'failed' as const, error: 'too few features' };
    expect(
      derivePortraitStatus({
        imagesReady: true,
        imagesError: null,
        marker: failedMarker,
        activeVideo: busy,
      }),
    ).toEqual({
      status: 'failed',
      error: 'too few features',
    });
    expect(
      derivePortraitStatus({
        imagesReady: false,
        imagesError: 'bad image',
        marker: failedMarker,
        activeVideo: ok,
      }).error,
    ).toBe('bad image');
    expect(
      derivePortraitStatus({
        imagesReady: true,
        imagesError: null,
        marker: ok,
        activeVideo: { status: 'failed', error: null },
      }),
    ).toEqual({ status: 'failed', error: 'video processing failed' });
  });
});
