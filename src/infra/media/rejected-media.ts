import type { ErrorCode } from '../../shared/error-codes.js';
import { AppError } from '../../shared/errors.js';

/**
 * The file itself is the problem (wrong type, damaged, too long, too big): an upload gets this
 * 4xx, and a background job fails for good, since a retry of the same file cannot succeed.
 */
export const rejectedMedia = (
  code: ErrorCode,
  httpStatus: number,
  message: string,
  details?: unknown,
): AppError => new AppError(code, httpStatus, message, details, { permanent: true });
