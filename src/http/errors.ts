import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import {
  noopErrorReporter,
  type ErrorReporter,
  type RequestInfo,
} from '../infra/error-reporting/index.js';
import type { ErrorCode } from '../shared/error-codes.js';
import { AppError } from '../shared/errors.js';
import { redactPaths, redactPathsInText } from '../shared/redact-paths.js';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Machine-readable error code, e.g. `validation_failed`' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
      requestId: Type.Optional(Type.String()),
    }),
  },
  { $id: 'ErrorBody', title: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** Fastify's own 4xx errors, mapped to stable codes clients can rely on. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_RATE_LIMIT_EXCEEDED: 'rate_limited',
};

function errorBody(
  code: ErrorCode,
  message: string,
  details?: unknown,
  requestId?: string,
): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(details === undefined ? {} : { details }),
      ...(requestId === undefined ? {} : { requestId }),
    },
  };
}

/** What an error report says about the request: the route template, never the raw URL. */
function requestInfo(request: FastifyRequest): RequestInfo {
  return {
    requestId: request.id,
    method: request.method,
    route: request.routeOptions.url ?? 'unmatched',
  };
}

/**
 * Every error leaves as `{ error: { code, message, details? } }`. Client errors say what was
 * wrong; anything unexpected is a 500 that carries only the request id (details go to the log,
 * and to `reporter`: server faults only, never 4xx).
 */
export function registerErrorHandling(
  app: FastifyInstance,
  reporter: ErrorReporter = noopErrorReporter,
): void {
  if (reporter.enabled) {
    app.addHook('onRequest', async (request) => {
      const { method, route } = requestInfo(request);
      reporter.nameRequest(method, route);
    });
  }
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    // Refused before the whole body was read (e.g. a bad file part of an upload): close the
    // connection after answering. Kept alive, the unread rest of the body would stall the
    // client's next request on it (a browser reuses the connection: its next upload hangs).
    if (!request.raw.complete) reply.header('connection', 'close');
    if (error instanceof AppError) {
      // `busy` is load shedding, not a fault: a login flood must not flood the log too.
      if (error.httpStatus >= 500 && error.code !== 'busy') {
        request.log.error({ err: error }, 'application error');
        reporter.captureRequestError(error, requestInfo(request));
      }
      // 423/429/503 answers that say when to come back (`details.retryAfterSeconds`).
      const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)
        ?.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      // Media tools and fs errors name server files; a client never sees a path.
      return reply
        .status(error.httpStatus)
        .send(
          errorBody(
            error.code,
            redactPathsInText(error.message),
            redactPaths(error.details),
            request.id,
          ),
        );
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation !== undefined) {
      const details = fastifyError.validation.map((issue) => ({
        location: fastifyError.validationContext ?? 'body',
        path: issue.instancePath || undefined,
        message: issue.message ?? 'invalid value',
        ...(Object.keys(issue.params).length > 0 ? { params: issue.params } : {}),
      }));
      return reply
        .status(400)
        .send(errorBody('validation_failed', fastifyError.message, details, request.id));
    }
    const status = fastifyError.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[fastifyError.code] ?? 'bad_request';
      return reply
        .status(status)
        .send(errorBody(code, redactPathsInText(fastifyError.message), undefined, request.id));
    }
    request.log.error({ err: error }, 'unhandled error');
    reporter.captureRequestError(error, requestInfo(request));
    return reply
      .status(500)
      .send(errorBody('internal_error', 'internal server error', undefined, request.id));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody(
          'route_not_found',
          `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
          undefined,
          request.id,
        ),
      ),
  );
}

/** Response schemas every authenticated route shares. */
export const AUTH_ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } as const;

/** A file body (image, video) in the OpenAPI document; sent as a Buffer or stream. */
export const BinaryBody = Type.Unsafe<Buffer | string>({ type: 'string', format: 'binary' });
