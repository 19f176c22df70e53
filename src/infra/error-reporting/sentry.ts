import * as Sentry from '@sentry/node';
import type { ErrorReporter, ErrorReportingSettings } from './index.js';
import { scrubBreadcrumb, scrubEvent } from './scrub.js';

/** Loaded (dynamically) only when `SENTRY_DSN` is set; see `startErrorReporting`. */
export function createSentryReporter(settings: ErrorReportingSettings): ErrorReporter {
  const tracing = settings.tracesSampleRate > 0;
  Sentry.init({
    dsn: settings.dsn,
    environment: settings.environment,
    release: settings.release,
    sampleRate: settings.sampleRate,
    // Left unset for 0: a rate of 0 would still make (unsampled) spans and load the SDK's
    // performance instrumentations, for nothing.
    ...(tracing ? { tracesSampleRate: settings.tracesSampleRate } : {}),
    sendDefaultPii: false,
    // Our modules are loaded before this runs: ESM hooks would instrument nothing.
    registerEsmLoaderHooks: false,
    // Outgoing calls go to S3, Redis and mail servers: no trace headers for them.
    tracePropagationTargets: [],
    integrations: [
      // Request bodies hold passwords and uploads: never buffered, never sent.
      Sentry.httpIntegration({ maxIncomingRequestBodySize: 'none' }),
      // Keeps Node's default (exit on an unhandled rejection), reporting it first.
      Sentry.onUnhandledRejectionIntegration({ mode: 'strict' }),
      // Added with tracing (spans of hooks and handlers). It would capture a handler's error
      // itself, untagged, before our error handler (whose report is then dropped as a repeat).
      ...(tracing ? [Sentry.fastifyIntegration({ shouldHandleError: () => false })] : []),
    ],
    beforeSend: (event) => scrubEvent(event),
    beforeSendTransaction: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
  });

  return {
    enabled: true,
    captureRequestError(error, request) {
      Sentry.withScope((scope) => {
        scope.setTags({
          request_id: request.requestId,
          route: request.route,
          method: request.method,
        });
        // Overrides the SDK's name from the raw URL (`GET /p/<slug>`): grouped by route.
        scope.setTransactionName(`${request.method} ${request.route}`);
        Sentry.captureException(error);
      });
    },
    captureJobFailure(error, job) {
      Sentry.withScope((scope) => {
        scope.setTags({ job_id: job.id, job_kind: job.kind, job_attempts: job.attempts });
        scope.setTransactionName(`job ${job.kind}`);
        Sentry.captureException(error);
      });
    },
    nameRequest(method, route) {
      const span = Sentry.getActiveSpan();
      if (span === undefined) return;
      const root = Sentry.getRootSpan(span);
      Sentry.updateSpanName(root, `${method} ${route}`);
      root.setAttribute('http.route', route);
    },
    flush: (timeoutMs) => Sentry.flush(timeoutMs),
    async close(timeoutMs = 2000) {
      await Sentry.close(timeoutMs);
    },
  };
}
