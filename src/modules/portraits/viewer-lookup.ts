import type { Database } from '../../infra/db/database.js';
import type { ViewerLookup, ViewerState } from '../viewer/viewer.types.js';
import { mediaUrls } from './portraits.service.js';
import type { PortraitsRepo } from './portraits.repo.js';

/**
 * What the public page at `/p/{slug}` shows, from the portrait, its current marker and its
 * active video. A failure of the portrait (marker, images or the active video) is `failed`; a
 * portrait without an active video says so (`no_video`) even while the marker is still being
 * made; otherwise it is `processing` until everything is ready.
 */
export function createViewerLookup(database: Database, portraits: PortraitsRepo): ViewerLookup {
  const { db } = database;
  return {
    async findBySlug(slug): Promise<ViewerState | null> {
      const portrait = await portraits.findBySlug(db, slug);
      if (portrait === undefined) return null;
      const client = await db
        .selectFrom('clients')
        .select('name')
        .where('id', '=', portrait.clientId)
        .executeTakeFirst();
      const title = client?.name ?? 'Living portrait';
      if (portrait.status === 'failed') return { status: 'failed', title };
      const video = await portraits.activeVideo(db, portrait.id);
      if (video === undefined) return { status: 'no_video', title };
      const marker = await portraits.currentMarker(db, portrait);
      if (
        portrait.status !== 'ready' ||
        video.status !== 'ready' ||
        marker?.status !== 'ready' ||
        marker.width === null ||
        marker.height === null ||
        marker.dpi === null
      ) {
        return { status: 'processing', title };
      }
      return {
        status: 'ready',
        title,
        marker: {
          portraitId: portrait.id,
          version: marker.version,
          widthPx: marker.width,
          heightPx: marker.height,
          dpi: marker.dpi,
        },
        video: { url: mediaUrls.video(video.id) },
        ...(portrait.imagesReadyAt === null
          ? {}
          : { posterUrl: mediaUrls.portraitDisplay(portrait.id) }),
      };
    },

    async recordView(visit) {
      const portrait = await portraits.findBySlug(db, visit.slug);
      if (portrait !== undefined) await portraits.countView(db, portrait.id);
    },
  };
}
