import type { Storage, StorageKey } from '../../infra/storage/index.js';
import { AppError } from '../../shared/errors.js';
import type { MarkerExtension, MarkerFileSource } from './viewer.types.js';

/**
 * `MarkerFileSource` over the object storage. Marker files live under immutable, versioned
 * keys, so the ETag is derived from the identifiers (no hashing, no extra round trip); one
 * `get` per request, streamed.
 *
 * `keyOf` maps the URL's (already pattern-checked) identifiers to the storage key, or `null`
 * when they cannot name a marker (e.g. a non-numeric version): the route then answers 404.
 */
export function storageMarkerFileSource(
  storage: Storage,
  keyOf: (portraitId: string, version: string, ext: MarkerExtension) => StorageKey | null,
): MarkerFileSource {
  return {
    async open(portraitId, version, ext) {
      const key = keyOf(portraitId, version, ext);
      if (key === null) return null;
      try {
        const object = await storage.get(key);
        return {
          body: object.body,
          size: object.size,
          etag: `"m-${portraitId}-${version}-${ext}"`,
        };
      } catch (error) {
        if (error instanceof AppError && error.code === 'not_found') return null;
        throw error;
      }
    },
  };
}
