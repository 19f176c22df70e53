import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { NewJob } from '../infra/queue/job-queue.js';
import type { RunnableKind } from '../infra/queue/job-runner.js';

const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$' });

/** Every kind of background job and the payload it carries (checked when a job is read back). */
export const JOB_PAYLOADS = {
  'portrait.images': Type.Object({ portraitId: Id }, { additionalProperties: false }),
  'marker.generate': Type.Object(
    {
      portraitId: Id,
      version: Type.Integer({ minimum: 1 }),
      /**
       * Set for a replaced photo: once this marker is ready, the files of earlier photos and
       * earlier marker versions are deleted (`supersededPrefixes`).
       */
      cleanupSuperseded: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  'video.process': Type.Object({ videoId: Id }, { additionalProperties: false }),
  'storage.cleanup': Type.Object(
    {
      /** One entity's folder each: `portraits/{id}/`, `markers/{id}/`, `videos/{id}/`. */
      prefixes: Type.Array(Type.String(), { maxItems: 10_000 }),
      /** The deleted portraits and videos whose processing jobs may still write files. */
      entityIds: Type.Array(Id, { maxItems: 10_000 }),
    },
    { additionalProperties: false },
  ),
  /** `runId`: the backup_runs row that records the run's progress and result. */
  'backup.create': Type.Object({ runId: Id }, { additionalProperties: false }),
  'backup.verify': Type.Object(
    { runId: Id, backupId: Type.String({ pattern: '^\\d{8}T\\d{6}Z-[0-9a-f]{6}$' }) },
    { additionalProperties: false },
  ),
} satisfies Record<string, TSchema>;

export type JobKind = keyof typeof JOB_PAYLOADS;
export type JobPayload<K extends JobKind> = Static<(typeof JOB_PAYLOADS)[K]>;

/** Limits that come from the configuration rather than the registry. */
export interface JobTimeouts {
  markerTimeoutSeconds: number;
  videoTimeoutSeconds: number;
}

/** How the runner treats one kind: parallelism, attempts, the hard limit and the backoff. */
export interface JobSettings {
  /** At most this many of this kind at once in one process (CPU-heavy kinds: 1). */
  concurrency: number;
  maxAttempts: number;
  /** Hard limit for one attempt. */
  timeoutMs: (timeouts: JobTimeouts) => number;
  /** Wait before attempt `attempt + 1` after a retryable failure of attempt `attempt`. */
  backoffMs: (attempt: number) => number;
}

/** 2 s, 8 s, 32 s … capped at 5 minutes. */
const exponentialBackoff = (attempt: number): number =>
  Math.min(5 * 60_000, 2_000 * 4 ** (attempt - 1));

function kind<K extends JobKind, A extends unknown[]>(
  name: K,
  settings: JobSettings,
  /** The entity the job works on and its payload; its key is `{kind}:{entityId}:{version}`. */
  describe: (...args: A) => { entityId: string; version?: number; payload: JobPayload<K> },
) {
  return {
    kind: name,
    settings,
    /** The job to enqueue; enqueuing the same key twice is a no-op. */
    job(...args: A): NewJob<K, JobPayload<K>> {
      const { entityId, version = 1, payload } = describe(...args);
      return {
        kind: name,
        key: `${name}:${entityId}:${version}`,
        entityId,
        payload,
        maxAttempts: settings.maxAttempts,
      };
    },
  };
}

/**
 * The job registry: every kind with its settings and how its jobs are made. Handlers are
 * registered per kind in `handlers.ts` (a kind without one does not compile).
 */
export const JOB_KINDS = {
  portraitImages: kind(
    'portrait.images',
    { concurrency: 1, maxAttempts: 3, timeoutMs: () => 120_000, backoffMs: exponentialBackoff },
    /** One job per photo version (a replaced photo is processed again). */
    (portraitId: string, imageVersion: number = 1) => ({
      entityId: portraitId,
      version: imageVersion,
      payload: { portraitId },
    }),
  ),
  marker: kind(
    'marker.generate',
    {
      concurrency: 1,
      maxAttempts: 2,
      timeoutMs: (t) => t.markerTimeoutSeconds * 1000,
      backoffMs: exponentialBackoff,
    },
    (portraitId: string, version: number, options: { cleanupSuperseded?: boolean } = {}) => ({
      entityId: portraitId,
      version,
      payload: {
        portraitId,
        version,
        ...(options.cleanupSuperseded === true ? { cleanupSuperseded: true } : {}),
      },
    }),
  ),
  video: kind(
    'video.process',
    {
      concurrency: 1,
      maxAttempts: 3,
      timeoutMs: (t) => t.videoTimeoutSeconds * 1000,
      backoffMs: exponentialBackoff,
    },
    (videoId: string) => ({ entityId: videoId, payload: { videoId } }),
  ),
  storageCleanup: kind(
    'storage.cleanup',
    { concurrency: 2, maxAttempts: 8, timeoutMs: () => 10 * 60_000, backoffMs: exponentialBackoff },
    /**
     * Deletes the stored files of a deleted client, portrait or video, keyed by its id. The rows
     * are deleted first, in the transaction that enqueues this job.
     */
    (
      deletedEntityId: string,
      files: { prefixes: string[]; entityIds: string[] },
      /** A replaced photo's cleanup: the marker version whose readiness superseded the files. */
      version: number = 1,
    ) => ({
      entityId: deletedEntityId,
      version,
      payload: files,
    }),
  ),
  /**
   * Backups: one at a time, never retried blindly (a failed run is recorded failed and the
   * next slot or an admin tries again); generous limit for large media.
   */
  backupCreate: kind(
    'backup.create',
    {
      concurrency: 1,
      maxAttempts: 1,
      timeoutMs: () => 6 * 3_600_000,
      backoffMs: exponentialBackoff,
    },
    (runId: string) => ({ entityId: runId, payload: { runId } }),
  ),
  backupVerify: kind(
    'backup.verify',
    {
      concurrency: 1,
      maxAttempts: 1,
      timeoutMs: () => 6 * 3_600_000,
      backoffMs: exponentialBackoff,
    },
    (runId: string, backupId: string) => ({ entityId: runId, payload: { runId, backupId } }),
  ),
} as const;

/** Settings per kind name, for the runner. */
export const JOB_SETTINGS = Object.fromEntries(
  Object.values(JOB_KINDS).map((entry) => [entry.kind, entry.settings]),
) as Record<JobKind, JobSettings>;

/** A payload read back from the queue, checked against its kind's schema. */
export function parseJobPayload<K extends JobKind>(kind: K, raw: unknown): JobPayload<K> {
  const schema = JOB_PAYLOADS[kind];
  if (!Value.Check(schema, raw)) {
    const first = Value.Errors(schema, raw).First();
    throw new Error(
      `not a ${kind} payload${first === undefined ? '' : `: ${first.path || '/'} ${first.message}`}`,
    );
  }
  return raw;
}

/** The registry as the runner uses it: settings with the configured timeouts, payload checks. */
export function runnableKinds(
  timeouts: JobTimeouts,
  only: readonly JobKind[] = Object.keys(JOB_PAYLOADS) as JobKind[],
): Record<string, RunnableKind<unknown>> {
  return Object.fromEntries(
    only.map((kind) => {
      const settings = JOB_SETTINGS[kind];
      return [
        kind,
        {
          concurrency: settings.concurrency,
          timeoutMs: settings.timeoutMs(timeouts),
          backoffMs: settings.backoffMs,
          parsePayload: (raw: unknown) => parseJobPayload(kind, raw),
        },
      ];
    }),
  );
}
