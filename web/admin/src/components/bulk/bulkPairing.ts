import { isValidPhoneNumber } from 'libphonenumber-js/min';
import type { CsvRow } from './bulkCsv.js';

/**
 * Pairs the dropped portraits and videos into orders, by file name (`ivanova.jpg` +
 * `ivanova.mp4`) or by a CSV's rows, and says what could not be paired and why. Pure (files
 * are anything with a name), so it is unit-tested without a browser.
 */

export interface FileLike {
  name: string;
  size: number;
}

export type FileKind = 'portrait' | 'video';

const PORTRAIT_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'heic', 'heif'];
const VIDEO_EXTENSIONS = ['mp4', 'mov', 'm4v', 'webm'];

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function kindOf(name: string): FileKind | null {
  const extension = extensionOf(name);
  if (PORTRAIT_EXTENSIONS.includes(extension)) return 'portrait';
  if (VIDEO_EXTENSIONS.includes(extension)) return 'video';
  return null;
}

/** The name without its extension, as typed (NFC, trimmed). */
export function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot <= 0 ? name : name.slice(0, dot)).normalize('NFC').trim();
}

const matchKey = (text: string) => text.normalize('NFC').trim().toLowerCase();

export type PhoneProblem = 'missing' | 'notPhone' | 'tooShort' | 'tooLong' | 'invalid';

/**
 * Why a phone cannot be used, or null. Numbers without `+` are read by the server in its
 * region (`DEFAULT_PHONE_REGION`), so only their shape is checked here.
 */
export function phoneProblem(phone: string): PhoneProblem | null {
  const text = phone.trim();
  if (text === '') return 'missing';
  if (!/^[\d\s()+\-.]+$/.test(text)) return 'notPhone';
  const digits = text.replace(/\D/g, '').length;
  if (digits < 7) return 'tooShort';
  if (digits > 15) return 'tooLong';
  if (text.startsWith('+') && !isValidPhoneNumber(text)) return 'invalid';
  return null;
}

export interface BulkPair<F extends FileLike> {
  /** Stable across drops of the same files: the two file names and sizes. */
  key: string;
  name: string;
  phone: string;
  email: string;
  portrait: F;
  video: F;
  /** The CSV line, or null when paired by file name. */
  line: number | null;
}

export type UnpairedReason = 'noVideo' | 'noPortrait' | 'notMedia' | 'duplicateName' | 'notInCsv';

export type RowReason = 'noFiles' | 'noPortraitFile' | 'noVideoFile' | 'noName' | 'fileTwice';

export interface Pairing<F extends FileLike> {
  pairs: BulkPair<F>[];
  unpaired: { file: F; reason: UnpairedReason }[];
  rowsWithoutFiles: { row: CsvRow; reason: RowReason }[];
}

const pairKey = (portrait: FileLike, video: FileLike) =>
  `${matchKey(portrait.name)}:${portrait.size}|${matchKey(video.name)}:${video.size}`;

/** `ivanova_anna` → `Ivanova Anna`; a trailing phone (`petrov +79161234567`) is split off. */
export function clientFromStem(stem: string): { name: string; phone: string } {
  const words = stem.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim();
  const found = /^(.*?)[\s-]+(\+?\d[\d\s()-]{5,}\d)$/.exec(words);
  const name = (found?.[1] ?? words).replace(/-+$/, '').trim();
  const titled = name
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  return { name: titled, phone: found?.[2]?.trim() ?? '' };
}

/** One portrait and one video with the same name (without extension) make an order. */
export function pairByName<F extends FileLike>(files: readonly F[]): Pairing<F> {
  const groups = new Map<string, { stem: string; portraits: F[]; videos: F[] }>();
  const unpaired: Pairing<F>['unpaired'] = [];
  for (const file of files) {
    const kind = kindOf(file.name);
    if (kind === null) {
      unpaired.push({ file, reason: 'notMedia' });
      continue;
    }
    const stem = stemOf(file.name);
    const group = groups.get(matchKey(stem)) ?? { stem, portraits: [], videos: [] };
    (kind === 'portrait' ? group.portraits : group.videos).push(file);
    groups.set(matchKey(stem), group);
  }
  const pairs: BulkPair<F>[] = [];
  for (const { stem, portraits, videos } of groups.values()) {
    const [portrait] = portraits;
    const [video] = videos;
    if (portraits.length > 1 || videos.length > 1) {
      for (const file of [...portraits, ...videos])
        unpaired.push({ file, reason: 'duplicateName' });
    } else if (portrait === undefined && video !== undefined) {
      unpaired.push({ file: video, reason: 'noPortrait' });
    } else if (video === undefined && portrait !== undefined) {
      unpaired.push({ file: portrait, reason: 'noVideo' });
    } else if (portrait !== undefined && video !== undefined) {
      const client = clientFromStem(stem);
      pairs.push({
        key: pairKey(portrait, video),
        ...client,
        email: '',
        portrait,
        video,
        line: null,
      });
    }
  }
  return { pairs, unpaired, rowsWithoutFiles: [] };
}

/**
 * Each CSV row names its portrait and video (with or without the extension, any case); the
 * files no row names are reported, as are the rows whose files were not dropped.
 */
export function pairByCsv<F extends FileLike>(
  files: readonly F[],
  rows: readonly CsvRow[],
): Pairing<F> {
  const media = files.filter((file) => kindOf(file.name) !== null);
  const used = new Set<F>();
  const find = (cell: string, kind: FileKind): F | undefined => {
    const wanted = matchKey(cell);
    if (wanted === '') return undefined;
    return (
      media.find((file) => matchKey(file.name) === wanted) ??
      media.find((file) => kindOf(file.name) === kind && matchKey(stemOf(file.name)) === wanted)
    );
  };
  const pairs: BulkPair<F>[] = [];
  const rowsWithoutFiles: Pairing<F>['rowsWithoutFiles'] = [];
  for (const row of rows) {
    const portrait = find(row.portrait, 'portrait');
    const video = find(row.video, 'video');
    let reason: RowReason | null = null;
    if (row.name === '') reason = 'noName';
    else if (portrait === undefined && video === undefined) reason = 'noFiles';
    else if (portrait === undefined) reason = 'noPortraitFile';
    else if (video === undefined) reason = 'noVideoFile';
    else if (used.has(portrait) || used.has(video)) reason = 'fileTwice';
    if (reason !== null || portrait === undefined || video === undefined) {
      rowsWithoutFiles.push({ row, reason: reason ?? 'noFiles' });
      continue;
    }
    used.add(portrait);
    used.add(video);
    pairs.push({
      key: pairKey(portrait, video),
      name: row.name,
      phone: row.phone,
      email: row.email,
      portrait,
      video,
      line: row.line,
    });
  }
  const unpaired: Pairing<F>['unpaired'] = files
    .filter((file) => !used.has(file))
    .map((file) => ({ file, reason: kindOf(file.name) === null ? 'notMedia' : 'notInCsv' }));
  return { pairs, unpaired, rowsWithoutFiles };
}

/** A short printable id for a pair inside a batch (the `Idempotency-Key` is ASCII only). */
export function idempotencyKey(batchId: string, pairKeyText: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const char of pairKeyText) {
    const code = char.codePointAt(0) ?? 0;
    h1 = Math.imul(h1 ^ code, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ code, 0x5bd1e995) >>> 0;
  }
  return `bulk-${batchId}-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}
