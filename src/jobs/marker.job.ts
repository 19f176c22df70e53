import { buildMarker, MarkerBuildError } from '../infra/markers/build-marker.js';
import { PermanentJobError, type JobHandler } from '../infra/queue/job-runner.js';
import { parseStorageKey } from '../infra/storage/index.js';
import { MARKER_FILE_TYPES, markerKeys } from '../modules/portraits/portrait-keys.js';
import { payloadNumber, payloadString } from './job-kinds.js';
import type { ProcessingDeps } from './processing-deps.js';

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
export function markerJob(deps: ProcessingDeps): JobHandler {
  const { database, storage, clock, portraits, portraitsService, config } = deps;
  const { db } = database;

  async function markFailed(
    portraitId: string,
    version: number,
    code: string,
    reason: string,
    advice: string[],
  ) {
    await db
      .updateTable('markers')
      .set({
        status: 'failed',
        errorCode: code,
        error: reason,
        qualityAdvice: JSON.stringify(advice),
        updatedAt: clock.now().toISOString(),
      })
      .where('portraitId', '=', portraitId)
      .where('version', '=', version)
      .where('status', '!=', 'ready')
      .execute();
    await portraitsService.refreshStatus(portraitId);
  }

  return {
    timeoutMs: config.jobs.markerTimeoutSeconds * 1000,
    concurrency: 1,
    async run(payload, { signal, reportProgress }) {
      const portraitId = payloadString(payload, 'portraitId');
      const version = payloadNumber(payload, 'version');
      const portrait = await portraits.findById(db, portraitId);
      const marker = await portraits.findMarker(db, portraitId, version);
      if (portrait === undefined || marker === undefined || marker.status === 'ready') return;

      const image = await readAll((await storage.get(parseStorageKey(portrait.originalKey))).body);
      reportProgress(5);
      let build;
      try {
        build = await buildMarker(image, {
          timeoutMs: config.jobs.markerTimeoutSeconds * 1000,
          signal,
        });
      } catch (error) {
        if (error instanceof MarkerBuildError && error.permanent) {
          await markFailed(portraitId, version, error.code, error.reason, error.advice);
          throw new PermanentJobError(`${error.code}: ${error.reason}`);
        }
        throw error;
      }
      reportProgress(90);
      const sizes: Record<string, number> = {};
      for (const type of MARKER_FILE_TYPES) {
        const body = build.files[type];
        sizes[type] = body.length;
        await storage.put(markerKeys.file(portraitId, version, type), body, {
          contentType: 'application/octet-stream',
        });
      }
      await db
        .updateTable('markers')
        .set({
          status: 'ready',
          errorCode: null,
          error: null,
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
          updatedAt: clock.now().toISOString(),
        })
        .where('id', '=', marker.id)
        .execute();
      await portraitsService.refreshStatus(portraitId);
    },
    async onFailed(payload, reason) {
      await markFailed(
        payloadString(payload, 'portraitId'),
        payloadNumber(payload, 'version'),
        'generation_failed',
        reason,
        ['Try again; if it keeps failing, try a sharper photo with more detail.'],
      );
    },
  };
}
