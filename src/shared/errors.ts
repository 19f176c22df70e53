/**
 * The one error type the application throws on purpose. The HTTP error handler maps it to
 * `{ error: { code, message, details } }` with `httpStatus`; anything else becomes a 500.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError =>
  new AppError('not_found', 404, `${what} not found`);
