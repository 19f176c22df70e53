import { storageKey, type StorageKey } from '../../infra/storage/index.js';

/**
 * A photo's folder: the order's photo (version 1) lies at the portrait's root, as it always
 * did; each replacement (version 2, 3 …) has a folder of its own, so the files of the photo the
 * public page still uses are never overwritten while the next one is processed.
 */
const imageSegments = (portraitId: string, imageVersion: number): string[] =>
  imageVersion <= 1 ? ['portraits', portraitId] : ['portraits', portraitId, String(imageVersion)];

/** Where each file of a portrait, its markers and videos lives in storage. */
export const portraitKeys = {
  /**
   * The uploaded original. A replacement's name carries a random `token`: two replacements of
   * the same portrait racing for one version never write (or, the loser, delete) the same key.
   */
  original: (portraitId: string, ext: string, imageVersion = 1, token?: string): StorageKey =>
    storageKey(
      ...imageSegments(portraitId, imageVersion),
      token === undefined ? `original.${ext}` : `original-${token}.${ext}`,
    ),
  display: (portraitId: string, format: 'jpg' | 'webp', imageVersion = 1): StorageKey =>
    storageKey(...imageSegments(portraitId, imageVersion), `display.${format}`),
  thumbnail: (
    portraitId: string,
    size: number,
    format: 'jpg' | 'webp',
    imageVersion = 1,
  ): StorageKey =>
    storageKey(...imageSegments(portraitId, imageVersion), `thumb-${size}.${format}`),
  prefix: (portraitId: string): string => `portraits/${portraitId}/`,
};

export const MARKER_FILE_TYPES = ['iset', 'fset', 'fset3'] as const;
export type MarkerFileType = (typeof MARKER_FILE_TYPES)[number];

export const markerKeys = {
  file: (portraitId: string, version: number, type: MarkerFileType): StorageKey =>
    storageKey('markers', portraitId, String(version), `marker.${type}`),
  prefix: (portraitId: string): string => `markers/${portraitId}/`,
};

/**
 * The storage prefixes of everything a portrait no longer uses once the marker `markerVersion`
 * of its photo `imageVersion` is ready: every earlier photo's files and every earlier marker
 * version's. Deleting a prefix that holds nothing is a no-op, so versions that never stored a
 * file (a failed attempt) cost nothing.
 */
export function supersededPrefixes(
  portraitId: string,
  current: { imageVersion: number; markerVersion: number },
): string[] {
  const prefixes: string[] = [];
  if (current.imageVersion > 1) {
    // The first photo's files share the root with the later photos' folders: by file name.
    for (const name of ['original', 'display.', 'thumb-']) {
      prefixes.push(`portraits/${portraitId}/${name}`);
    }
  }
  for (let version = 2; version < current.imageVersion; version++) {
    prefixes.push(`portraits/${portraitId}/${version}/`);
  }
  for (let version = 1; version < current.markerVersion; version++) {
    prefixes.push(`markers/${portraitId}/${version}/`);
  }
  return prefixes;
}

export const videoKeys = {
  original: (videoId: string, ext: string): StorageKey =>
    storageKey('videos', videoId, `original.${ext}`),
  playable: (videoId: string): StorageKey => storageKey('videos', videoId, 'playable.mp4'),
  poster: (videoId: string): StorageKey => storageKey('videos', videoId, 'poster.jpg'),
  prefix: (videoId: string): string => `videos/${videoId}/`,
};

const EXTENSIONS: Record<string, string> = {
  jpeg: 'jpg',
  jpg: 'jpg',
  png: 'png',
  webp: 'webp',
  heic: 'heic',
  heif: 'heic',
  avif: 'avif',
  mp4: 'mp4',
  mov: 'mov',
  webm: 'webm',
  mkv: 'mkv',
};

/** File extension of an original, from its sniffed format (never from the client's name). */
export const fileExtension = (format: string): string => EXTENSIONS[format.toLowerCase()] ?? 'bin';
