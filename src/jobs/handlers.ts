import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../infra/db/database.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { JobHandler } from '../infra/queue/job-runner.js';
import type { Storage } from '../infra/storage/index.js';
import type { AuditService } from '../modules/audit/audit.service.js';
import type { BackupRunsRepo } from '../modules/backup/backup-runs.repo.js';
import type { BackupService } from '../modules/backup/backup.service.js';
import type { PortraitsRepo } from '../modules/portraits/portraits.repo.js';
import type { PortraitsService } from '../modules/portraits/portraits.service.js';
import type { VideosRepo } from '../modules/videos/videos.repo.js';
import type { Clock } from '../shared/clock.js';
import { backupCreateJob, backupVerifyJob } from './backup.job.js';
import type { JobKind, JobPayload } from './job-kinds.js';
import { markerJob } from './marker.job.js';
import { portraitImagesJob } from './portrait-images.job.js';
import { storageCleanupJob } from './storage-cleanup.job.js';
import { videoJob } from './video.job.js';

/** One handler per registered kind: leaving one out does not compile. */
export type JobHandlers = { [K in JobKind]: JobHandler<JobPayload<K>> };

/** Everything the handlers need between them; each takes only its own part. */
export interface JobHandlersDeps {
  database: Database;
  storage: Storage;
  clock: Clock;
  queue: JobQueue;
  portraitsRepo: PortraitsRepo;
  videosRepo: VideosRepo;
  /** Re-derives a portrait's status after one of its parts changed. */
  portraitsService: Pick<PortraitsService, 'refreshStatus'>;
  backupRuns: BackupRunsRepo;
  backups: Pick<BackupService, 'create' | 'verify'>;
  audit: Pick<AuditService, 'record'>;
  logger: FastifyBaseLogger;
  /** Metrics of marker builds (generation time, self-test result). */
  onMarkerBuilt?: (result: { seconds: number; selfTestPassed: boolean }) => void;
  /** Private scratch space for job attempts (under DATA_DIR). */
  tmpRoot: string;
  limits: {
    maxImagePixels: number;
    maxVideoSeconds: number;
    markerTimeoutMs: number;
    videoTimeoutMs: number;
  };
}

export function createJobHandlers(deps: JobHandlersDeps): JobHandlers {
  const { limits } = deps;
  return {
    'portrait.images': portraitImagesJob({ ...deps, maxImagePixels: limits.maxImagePixels }),
    'marker.generate': markerJob({ ...deps, timeoutMs: limits.markerTimeoutMs }),
    'video.process': videoJob({
      ...deps,
      maxVideoSeconds: limits.maxVideoSeconds,
      timeoutMs: limits.videoTimeoutMs,
    }),
    'storage.cleanup': storageCleanupJob(deps),
    'backup.create': backupCreateJob(deps),
    'backup.verify': backupVerifyJob(deps),
  };
}
