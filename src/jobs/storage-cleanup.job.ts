import type { JobQueue } from '../infra/queue/job-queue.js';
import { PermanentJobError, type JobHandler } from '../infra/queue/job-runner.js';
import type { Storage } from '../infra/storage/index.js';
import { JOB_KINDS, type JobPayload } from './job-kinds.js';

/**
 * The only prefixes this job deletes: one entity's folder (`portraits/{id}/`, `markers/{id}/`,
 * `videos/{id}/`), or what a replaced photo leaves behind (one version's folder
 * `portraits/{id}/{n}/` or `markers/{id}/{n}/`, and the first photo's files at the portrait's
 * root: `portraits/{id}/original`, `display.`, `thumb-`). Anything else in a payload (an empty
 * prefix would mean "everything") is refused.
 */
const ENTITY_PREFIX =
  /^(?:(?:portraits|markers|videos)\/[A-Za-z0-9][A-Za-z0-9-]{0,127}\/|(?:portraits|markers)\/[A-Za-z0-9][A-Za-z0-9-]{0,127}\/[1-9][0-9]{0,8}\/|portraits\/[A-Za-z0-9][A-Za-z0-9-]{0,127}\/(?:original|display\.|thumb-))$/;

/**
 * Deletes the stored files of deleted clients, portraits and videos. Idempotent: deleting an
 * empty prefix is a no-op, so a retry or a second run changes nothing. A processing job of
 * one of those entities that was already running when the rows were deleted may still write
 * its output afterwards: while such a job runs, this one fails (retryable) after deleting, so
 * it runs again once that job has finished and removes its late files too.
 */
export function storageCleanupJob(deps: {
  storage: Storage;
  queue: Pick<JobQueue, 'runningFor'>;
}): JobHandler<JobPayload<'storage.cleanup'>> {
  const { storage, queue } = deps;
  return {
    async run({ prefixes, entityIds }) {
      const refused = prefixes.find((prefix) => !ENTITY_PREFIX.test(prefix));
      if (refused !== undefined) {
        throw new PermanentJobError(`refusing to delete storage prefix ${JSON.stringify(refused)}`);
      }
      for (const prefix of prefixes) await storage.deletePrefix(prefix);
      const busy = await queue.runningFor(entityIds, JOB_KINDS.storageCleanup.kind);
      if (busy.length > 0) {
        throw new Error(
          `${busy.length} job(s) of the deleted entities still running (${busy.join(
            ', ',
          )}); their files are deleted on the next attempt`,
        );
      }
    },
  };
}
