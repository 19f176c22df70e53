/**
 * Reporting server faults to an error tracker (Sentry). Callers see only this interface, so the
 * HTTP layer and the job runner never import the SDK, and the SDK (about 0.4 s to load) is
 * loaded only when `SENTRY_DSN` is set.
 */

/** `SENTRY_*` settings; the whole object is absent when `SENTRY_DSN` is unset. */
export interface ErrorReportingSettings {
  dsn: string;
  environment: string;
  release: string;
  /** Share of error events sent (0–1). */
  sampleRate: number;
  /** Share of requests traced (0–1); 0: no tracing at all. */
  tracesSampleRate: number;
}

/** What an event about a failed request says about it: ids and templates, never raw URLs. */
export interface RequestInfo {
  /** The `x-request-id` of the response. */
  requestId: string;
  method: string;
  /** The route template (`/api/portraits/:id`), `unmatched` when no route matched. */
  route: string;
}

export interface JobInfo {
  id: string;
  kind: string;
  attempts: number;
}

export interface ErrorReporter {
  readonly enabled: boolean;
  /** A 5xx answer or an unhandled error while serving a request (never a 4xx). */
  captureRequestError(error: unknown, request: RequestInfo): void;
  /** A job that failed for good for a reason a retry might have fixed (not bad input). */
  captureJobFailure(error: unknown, job: JobInfo): void;
  /** Names the request's trace after its route template (a raw URL carries public slugs). */
  nameRequest(method: string, route: string): void;
  /** Sends what is queued; false when `timeoutMs` passed first. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Flushes (up to `timeoutMs`) and stops reporting: at shutdown. */
  close(timeoutMs?: number): Promise<void>;
}

/** Reporting switched off: every call does nothing. */
export const noopErrorReporter: ErrorReporter = {
  enabled: false,
  captureRequestError: () => undefined,
  captureJobFailure: () => undefined,
  nameRequest: () => undefined,
  flush: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};

/**
 * Starts reporting for a long-running command (`serve`, `worker`). Without settings the SDK is
 * neither loaded nor initialised. The SDK is a process-wide singleton: start it once.
 */
export async function startErrorReporting(
  settings: ErrorReportingSettings | undefined,
): Promise<ErrorReporter> {
  if (settings === undefined) return noopErrorReporter;
  const { createSentryReporter } = await import('./sentry.js');
  return createSentryReporter(settings);
}
