import { ApiError } from './api';
import { errorText, FIELD_PROBLEM, isCatalogued } from './errorMessages';
import { currentLocale, type Locale } from './i18n';

/**
 * Which form fields an error belongs to, so each problem shows next to its field, in the
 * person's language (the server's own messages are for developers). The server names the field
 * in `details` when it can (`[{field, message}]`, or `{field, maxBytes}` for a file that is too
 * large); media errors name the kind of file in their code or message.
 */
export function fieldErrors(
  error: unknown,
  fields: readonly string[],
  locale: Locale = currentLocale(),
): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const byField: Record<string, string> = {};
  // A specific code (weak_password, phone_taken, too_large…) says what is wrong with the field;
  // `validation_failed` only says that it is.
  const words =
    error.code !== 'validation_failed' && isCatalogued(error.code)
      ? errorText(error.code, locale).message
      : FIELD_PROBLEM[locale];
  for (const problem of error.fieldProblems) {
    if (fields.includes(problem.field)) byField[problem.field] = words;
  }
  if (Object.keys(byField).length > 0) return byField;
  const media =
    /^video_/.test(error.code) || /\bvideo\b|MP4|MOV|WebM/i.test(error.message)
      ? 'video'
      : /^image_/.test(error.code) || /\bimage\b|\bphoto\b|JPEG|HEIC/i.test(error.message)
        ? 'portrait'
        : null;
  if (media !== null && fields.includes(media))
    byField[media] = errorText(error.code, locale).message;
  return byField;
}
