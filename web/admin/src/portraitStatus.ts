import type { PortraitDetail } from './api';

/** Anything of the portrait still being made (picture, marker, active video)? */
export function isProcessing(portrait: PortraitDetail): boolean {
  return (
    portrait.status === 'processing' ||
    portrait.marker?.status === 'processing' ||
    portrait.activeVideo?.status === 'processing'
  );
}
