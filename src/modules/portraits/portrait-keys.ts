import { storageKey, type StorageKey } from '../../infra/storage/index.js';

/** Where each file of a portrait, its markers and videos lives in storage. */
export const portraitKeys = {
  original: (portraitId: string, ext: string): StorageKey =>
    storageKey('portraits', portraitId, `original.${ext}`),
  display: (portraitId: string, format: 'jpg' | 'webp'): StorageKey =>
    storageKey('portraits', portraitId, `display.${format}`),
  thumbnail: (portraitId: string, size: number, format: 'jpg' | 'webp'): StorageKey =>
    storageKey('portraits', portraitId, `thumb-${size}.${format}`),
  prefix: (portraitId: string): string => `portraits/${portraitId}/`,
};

export const MARKER_FILE_TYPES = ['iset', 'fset', 'fset3'] as const;
export type MarkerFileType = (typeof MARKER_FILE_TYPES)[number];

export const markerKeys = {
  file: (portraitId: string, version: number, type: MarkerFileType): StorageKey =>
    storageKey('markers', portraitId, String(version), `marker.${type}`),
  prefix: (portraitId: string): string => `markers/${portraitId}/`,
};

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
