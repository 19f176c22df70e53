import { ApiError } from './api';

/**
 * Which form fields an error belongs to, so each problem shows next to its field. The server
 * names the field in `details` when it can (`[{field, message}]`, or `{field, maxBytes}` for a
 * file that is too large); media errors name the kind of file in their code or message.
 */
export function fieldErrors(error: unknown, fields: readonly string[]): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const byField: Record<string, string> = {};
  // A single `{field, …}` object has no message of its own: the error's message says it.
  const single = !Array.isArray(error.details);
  for (const problem of error.fieldProblems) {
    if (fields.includes(problem.field)) {
      byField[problem.field] = single ? error.message : problem.message;
    }
  }
  if (Object.keys(byField).length > 0) return byField;
  const media =
    /^video_/.test(error.code) || /\bvideo\b|MP4|MOV|WebM/i.test(error.message)
      ? 'video'
      : /^image_/.test(error.code) || /\bimage\b|\bphoto\b|JPEG|HEIC/i.test(error.message)
        ? 'portrait'
        : null;
  if (media !== null && fields.includes(media)) byField[media] = error.message;
  return byField;
}
