import { PermanentJobError, type JobHandler } from '../infra/queue/job-runner.js';
import { JOB_KINDS } from './job-kinds.js';
import type { ProcessingDeps } from './processing-deps.js';

/**
 * The only prefixes this job deletes: one entity's folder (`portraits/{id}/`, `markers/{id}/`,
 * `videos/{id}/`). Anything else in a payload (an empty prefix would mean "everything") is
 * refused.
 */
const ENTITY_PREFIX = /^(?:portraits|markers|videos)\/([A-Za-z0-9][A-Za-z0-9-]{0,127})\/$/;

function entityPrefixes(payload: Record<string, unknown>): { prefix: string; entityId: string }[] {
  const { prefixes } = payload;
  if (!Array.isArray(prefixes)) throw new PermanentJobError('job payload is missing prefixes');
  return prefixes.map((prefix) => {
    const match = typeof prefix === 'string' ? ENTITY_PREFIX.exec(prefix) : null;
    if (typeof prefix !== 'string' || match?.[1] === undefined) {
      throw new PermanentJobError(`refusing to delete storage prefix ${JSON.stringify(prefix)}`);
    }
    return { prefix, entityId: match[1] };
  });
}

/**
 * Deletes the stored files of deleted clients, portraits and videos. Idempotent: deleting an
 * empty prefix is a no-op, so a retry or a second run changes nothing. A processing job of
 * one of those entities that was already running when the rows were deleted may still write
 * its output afterwards: while such a job runs, this one fails (retryable) after deleting, so
 * it runs again once that job has finished and removes its late files too.
 */
export function storageCleanupJob(deps: ProcessingDeps): JobHandler {
  const { database, storage } = deps;
  return {
    timeoutMs: 10 * 60_000,
    concurrency: 2,
    async run(payload) {
      const targets = entityPrefixes(payload);
      for (const { prefix } of targets) await storage.deletePrefix(prefix);
      if (targets.length === 0) return;
      const ids = [...new Set(targets.map((t) => t.entityId))];
      const busy = await database.db
        .selectFrom('jobs')
        .select('key')
        .where('status', '=', 'running')
        .where('kind', '!=', JOB_KINDS.storageCleanup.kind)
        .where((eb) => eb.or(ids.map((id) => eb('key', 'like', `%:${id}:%`))))
        .execute();
      if (busy.length > 0) {
        throw new Error(
          `${busy.length} job(s) of the deleted entities still running (${busy
            .map((job) => job.key)
            .join(', ')}); their files are deleted on the next attempt`,
        );
      }
    },
  };
}
