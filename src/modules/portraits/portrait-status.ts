import type { ProcessingStatus } from '../../infra/db/schema.js';
import type { MarkerRow, VideoRow } from './portraits.repo.js';

/**
 * A portrait is ready when its images, its current marker and its active video (if it has one)
 * are ready; failed when any of them failed (the first reason is kept); processing otherwise.
 */
export function derivePortraitStatus(input: {
  imagesReady: boolean;
  imagesError: string | null;
  marker: Pick<MarkerRow, 'status' | 'error'> | undefined;
  activeVideo: Pick<VideoRow, 'status' | 'error'> | undefined;
}): { status: ProcessingStatus; error: string | null } {
  const { marker, activeVideo } = input;
  if (input.imagesError !== null) return { status: 'failed', error: input.imagesError };
  if (marker?.status === 'failed')
    return { status: 'failed', error: marker.error ?? 'marker generation failed' };
  if (activeVideo?.status === 'failed') {
    return { status: 'failed', error: activeVideo.error ?? 'video processing failed' };
  }
  // No active video (the last one was deleted) does not block: the portrait itself is ready and
  // its public page says there is no video right now.
  const videoReady = activeVideo === undefined || activeVideo.status === 'ready';
  const ready = input.imagesReady && marker?.status === 'ready' && videoReady;
  return { status: ready ? 'ready' : 'processing', error: null };
}
