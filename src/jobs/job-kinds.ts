import type { NewJob } from '../infra/queue/job-queue.js';

/**
 * Every job kind, with its key (`{kind}:{entityId}:{version}`, so enqueuing the same work
 * twice is a no-op) and payload. Handlers are registered per kind in `handlers.ts`.
 */
export const JOB_KINDS = {
  portraitImages: {
    kind: 'portrait.images',
    job: (portraitId: string): NewJob => ({
      kind: 'portrait.images',
      key: `portrait.images:${portraitId}:1`,
      payload: { portraitId },
    }),
  },
  marker: {
    kind: 'marker.generate',
    job: (portraitId: string, version: number): NewJob => ({
      kind: 'marker.generate',
      key: `marker.generate:${portraitId}:${version}`,
      payload: { portraitId, version },
      maxAttempts: 2,
    }),
  },
  video: {
    kind: 'video.process',
    job: (videoId: string): NewJob => ({
      kind: 'video.process',
      key: `video.process:${videoId}:1`,
      payload: { videoId },
    }),
  },
  storageCleanup: {
    kind: 'storage.cleanup',
    /**
     * Deletes every stored object under `prefixes` (the files of a deleted client, portrait or
     * video), keyed by the deleted entity's id. The rows are deleted first, in the transaction
     * that enqueues this job.
     */
    job: (deletedEntityId: string, prefixes: string[]): NewJob => ({
      kind: 'storage.cleanup',
      key: `storage.cleanup:${deletedEntityId}:1`,
      payload: { prefixes },
      maxAttempts: 8,
    }),
  },
} as const;

/** Reads a string field of a job payload (payloads are JSON from the database). */
export function payloadString(payload: Record<string, unknown>, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string') throw new Error(`job payload is missing ${name}`);
  return value;
}

export function payloadNumber(payload: Record<string, unknown>, name: string): number {
  const value = payload[name];
  if (typeof value !== 'number') throw new Error(`job payload is missing ${name}`);
  return value;
}
