import { buildMarker, MarkerBuildError } from '../infra/markers/build-marker.js';
import type { Database } from '../infra/db/database.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import { PermanentJobError, type JobHandler } from '../infra/queue/job-runner.js';
import { parseStorageKey, type Storage } from '../infra/storage/index.js';
import {
  MARKER_FILE_TYPES,
  markerKeys,
  supersededPrefixes,
} from '../modules/portraits/portrait-keys.js';
import type { PortraitsRepo } from '../modules/portraits/portraits.repo.js';
import type { PortraitsService } from '../modules/portraits/portraits.service.js';
import type { Clock } from '../shared/clock.js';
import { JOB_KINDS, type JobPayload } from './job-kinds.js';
import type { MarkerErrorCode } from '../shared/error-codes.js';

interface Deps {
  database: Database;
  storage: Storage;
  clock: Clock;
  /** Queues the cleanup of a replaced photo's files once its successor's marker is ready. */
  queue: Pick<JobQueue, 'enqueue'>;
  portraitsRepo: PortraitsRepo;
  portraitsService: Pick<PortraitsService, 'refreshStatus'>;
  /** The generation's own limit (the child process is killed after it). */
  timeoutMs: number;
  /** Told of every marker built and of every self-test failure (metrics). */
  onMarkerBuilt?: (result: { seconds: number; selfTestPassed: boolean }) => void;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Generates the portrait's ARToolKit NFT marker (isolated child process, fresh wasm instance),
 * validates it, proves it trackable with a self-test, stores the files under an immutable
 * versioned key and records size, quality and self-test. A photo that cannot make a working
 * marker fails with the reason and advice, never with a broken marker.
 */
export function markerJob(deps: Deps): JobHandler<JobPayload<'marker.generate'>> {
  const { database, storage, clock, queue, portraitsRepo, portraitsService } = deps;
  const { db } = database;

  async function markFailed(
    portraitId: string,
    version: number,
    failure: { code: MarkerErrorCode; reason: string; advice: string[] },
  ) {
    await portraitsRepo.setMarkerFailed(
      db,
      portraitId,
      version,
      failure,
      clock.now().toISOString(),
    );
    await portraitsService.refreshStatus(portraitId);
  }

  return {
    async run({ portraitId, version, cleanupSuperseded }, { signal, reportProgress }) {
      const portrait = await portraitsRepo.findById(db, portraitId);
      const marker = await portraitsRepo.findMarker(db, portraitId, version);
      if (portrait === undefined || marker === undefined || marker.status === 'ready') return;

      const image = await readAll((await storage.get(parseStorageKey(portrait.originalKey))).body);
      reportProgress(5);
      const started = performance.now();
      let build;
      try {
        build = await buildMarker(image, { timeoutMs: deps.timeoutMs, signal });
      } catch (error) {
        if (error instanceof MarkerBuildError && error.code === 'self_test_failed') {
          deps.onMarkerBuilt?.({
            seconds: (performance.now() - started) / 1000,
            selfTestPassed: false,
          });
        }
        if (error instanceof MarkerBuildError && error.permanent) {
          await markFailed(portraitId, version, error);
          throw new PermanentJobError(`${error.code}: ${error.reason}`);
        }
        throw error;
      }
      reportProgress(90);
      deps.onMarkerBuilt?.({
        seconds: (build.timings.generateMs + build.timings.selfTestMs) / 1000,
        selfTestPassed: build.selfTest.found,
      });
      const sizes: Record<string, number> = {};
      for (const type of MARKER_FILE_TYPES) {
        const body = build.files[type];
        sizes[type] = body.length;
        await storage.put(markerKeys.file(portraitId, version, type), body, {
          contentType: 'application/octet-stream',
        });
      }
      const ready = async (trx: typeof db) =>
        portraitsRepo.setMarkerReady(
          trx,
          marker.id,
          {
            width: build.width,
            height: build.height,
            dpi: build.dpi,
            widthMm: build.widthMm,
            heightMm: build.heightMm,
            trackingPoints: build.trackingPoints,
            freakPoints: build.freakPoints,
            qualityScore: build.quality.score,
            qualityAdvice: JSON.stringify(build.quality.advice),
            selfTestFound: build.selfTest.found ? 1 : 0,
            selfTestCornerErrorPx: build.selfTest.cornerErrorPx,
            metrics: JSON.stringify({ sizes, timings: build.timings }),
          },
          clock.now().toISOString(),
        );
      if (cleanupSuperseded === true) {
        // A replaced photo: the previous photo's files and markers served the public page
        // until now; from this commit on nothing refers to them. Queued in the same
        // transaction, so a crash cannot leave them behind.
        await database.transaction(async (trx) => {
          await ready(trx);
          const current = await portraitsRepo.findById(trx, portraitId);
          if (current?.markerVersion !== version) return; // replaced again meanwhile
          const prefixes = supersededPrefixes(portraitId, {
            imageVersion: current.imageVersion,
            markerVersion: version,
          });
          await queue.enqueue(
            JOB_KINDS.storageCleanup.job(portraitId, { prefixes, entityIds: [] }, version),
            trx,
          );
        });
      } else {
        await ready(db);
      }
      await portraitsService.refreshStatus(portraitId);
    },
    async onFailed({ portraitId, version }, reason) {
      await markFailed(portraitId, version, {
        code: 'generation_failed',
        reason,
        advice: ['Try again; if it keeps failing, try a sharper photo with more detail.'],
      });
    },
  };
}
