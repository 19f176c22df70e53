import { prepareMarkerInput } from '../../src/infra/markers/marker-input.js';
import type { JobHandler } from '../../src/infra/queue/job-runner.js';
import { JOB_PAYLOADS, parseJobPayload, type JobKind } from '../../src/jobs/job-kinds.js';
import type { TestApp } from './app.js';

const isKind = (kind: string): kind is JobKind => kind in JOB_PAYLOADS;

/**
 * Runs one job of the context's handlers in the test process, as the runner would (payload
 * checked, without claiming the row): for tests that need one job's effect without starting the
 * runner, which would also pick up every other queued job (marker generation costs ~15 CPU s).
 */
export async function runJobHandler(
  t: TestApp,
  kind: string,
  payload: Record<string, unknown>,
): Promise<void> {
  if (!isKind(kind)) throw new Error(`no handler for ${kind}`);
  const handlers: Record<JobKind, JobHandler<unknown>> = t.ctx.jobHandlers;
  await handlers[kind].run(parseJobPayload(kind, payload), {
    signal: new AbortController().signal,
    attempt: 1,
    reportProgress: () => undefined,
  });
}

/** The queued job with this key, its payload parsed. */
export async function jobByKey(
  t: TestApp,
  key: string,
): Promise<{ kind: string; status: string; payload: Record<string, unknown> } | undefined> {
  const row = await t.ctx.queue.findByKey(key);
  if (row === undefined) return undefined;
  return {
    kind: row.kind,
    status: row.status,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}

/**
 * Marks the portrait's current marker ready with the size the marker job records for this
 * photo, without generating it (~15 CPU s): for tests of what a ready marker allows.
 */
export async function markMarkerReady(t: TestApp, portraitId: string, photo: Buffer) {
  const input = await prepareMarkerInput(photo);
  const mm = (v: number) => Math.round((v / input.dpi) * 25.4 * 100) / 100;
  await t.ctx.database.db
    .updateTable('markers')
    .set({
      status: 'ready',
      width: input.width,
      height: input.height,
      dpi: input.dpi,
      widthMm: mm(input.width),
      heightMm: mm(input.height),
    })
    .where('portraitId', '=', portraitId)
    .execute();
}
