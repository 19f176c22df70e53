import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';

/**
 * The one error type the application throws on purpose. The HTTP error handler maps it to
 * `{ error: { code, message, details } }` with `httpStatus`; anything else becomes a 500.
 * `permanent` tells a background job that retrying the same input cannot succeed.
 */
export class AppError extends Error {
  readonly permanent: boolean;

  constructor(
    readonly code: ErrorCode,
    readonly httpStatus: number,
    message: string,
    readonly details?: unknown,
    options: { permanent?: boolean } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.permanent = options.permanent ?? false;
  }
}

export const notFound = (what: string): AppError =>
  new AppError('not_found', 404, `${what} not found`);

/** Whether an error says a retry cannot help (`AppError`, `MarkerBuildError`, job errors). */
export const isPermanent = (error: unknown): boolean =>
  error instanceof Error && 'permanent' in error && error.permanent === true;
