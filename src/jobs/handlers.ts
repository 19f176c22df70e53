import type { JobHandler } from '../infra/queue/job-runner.js';
import { JOB_KINDS } from './job-kinds.js';
import { markerJob } from './marker.job.js';
import { portraitImagesJob } from './portrait-images.job.js';
import type { ProcessingDeps } from './processing-deps.js';
import { storageCleanupJob } from './storage-cleanup.job.js';
import { videoJob } from './video.job.js';

/** Every job kind and its handler; the runner refuses nothing else. */
export function createJobHandlers(deps: ProcessingDeps): Record<string, JobHandler> {
  return {
    [JOB_KINDS.portraitImages.kind]: portraitImagesJob(deps),
    [JOB_KINDS.marker.kind]: markerJob(deps),
    [JOB_KINDS.video.kind]: videoJob(deps),
    [JOB_KINDS.storageCleanup.kind]: storageCleanupJob(deps),
  };
}
