import path from 'node:path';
import { createJobHandlers } from '../../src/jobs/handlers.js';
import type { TestApp } from './app.js';

/**
 * Runs one job handler in the test process, as the runner would (without claiming the row):
 * for tests that need one job's effect without starting the runner, which would also pick up
 * every other queued job (marker generation costs ~15 CPU seconds).
 */
export async function runJobHandler(
  t: TestApp,
  kind: string,
  payload: Record<string, unknown>,
): Promise<void> {
  const { ctx } = t;
  const handlers = createJobHandlers({
    config: ctx.config,
    database: ctx.database,
    storage: ctx.storage,
    clock: ctx.clock,
    portraits: ctx.services.portraits,
    portraitsService: ctx.services.portraitsService,
    tmpRoot: path.join(ctx.config.dataDir, 'tmp', 'jobs'),
  });
  const handler = handlers[kind];
  if (handler === undefined) throw new Error(`no handler for ${kind}`);
  await handler.run(payload, {
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
