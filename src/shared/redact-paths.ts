/**
 * Removes server file-system paths from text a client will read (error messages and details,
 * a failed job's reason). ffprobe, ffmpeg, sharp and Node's fs errors name the file they
 * worked on (`file:/srv/data/tmp/uploads/<uuid>.upload: Invalid data…`, `ENOENT … open
 * '/srv/data/storage/…'`): the reason stays, the path becomes `<path>`.
 *
 * Matched: a `file:` URL, and an absolute path of at least two segments that does not continue
 * a word or a URL (`video/mp4` and `https://host/a/b` are left alone).
 */
// The last character is not a colon: ffprobe writes `file:/…/x.upload: reason`.
const FILE_URL = /file:[^\s'"`,;)]*[^\s'"`,;):]/g;
const ABSOLUTE_PATH = /(?<![\w.:/~-])\/(?:[\w.@+~-]+\/)+[\w.@+~-]*/g;
const REDACTED = '<path>';

export function redactPathsInText(text: string): string {
  return text.replace(FILE_URL, REDACTED).replace(ABSOLUTE_PATH, REDACTED);
}

/** The same, through every string of a JSON-like value (objects and arrays are copied). */
export function redactPaths<T>(value: T): T {
  return redactValue(value, 0) as T;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactPathsInText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactValue(item, depth + 1)]),
  );
}
