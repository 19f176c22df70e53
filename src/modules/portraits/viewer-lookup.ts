import type { Database } from '../../infra/db/database.js';
import type { ViewerEventName, ViewerLookup, ViewerState } from '../viewer/viewer.types.js';
import { mediaUrls } from './media-urls.js';
import type { PortraitsRepo } from './portraits.repo.js';

/** Who is looking: the analytics count each visitor once per window (and store neither). */
interface Visitor {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** Counts views and page events per portrait and day (the analytics service). */
export interface ViewerAnalytics {
  countPageView(portraitId: string, visitor: Visitor): Promise<void>;
  countEvent(portraitId: string, event: ViewerEventName, visitor: Visitor): Promise<void>;
}

/**
 * What the public page at `/p/{slug}` shows, from the portrait, its current marker and its
 * active video. A failure of the portrait (marker, images or the active video) is `failed`; a
 * portrait without an active video says so (`no_video`) even while the marker is still being
 * made; otherwise it is `processing` until everything is ready. Page views and events are
 * counted per day (`analytics`).
 */
export function createViewerLookup(
  database: Database,
  portraits: PortraitsRepo,
  analytics: ViewerAnalytics,
): ViewerLookup {
  const { db } = database;
  return {
    async findBySlug(slug): Promise<ViewerState | null> {
      const portrait = await portraits.findBySlug(db, slug);
      if (portrait === undefined) return null;
      // Nothing about the client is read: the page is public (it names the studio instead).
      if (portrait.status === 'failed') return { status: 'failed' };
      const video = await portraits.activeVideo(db, portrait.id);
      if (video === undefined) return { status: 'no_video' };
      const marker = await portraits.currentMarker(db, portrait);
      if (
        portrait.status !== 'ready' ||
        video.status !== 'ready' ||
        marker?.status !== 'ready' ||
        marker.width === null ||
        marker.height === null ||
        marker.dpi === null
      ) {
        return { status: 'processing' };
      }
      return {
        status: 'ready',
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
          : { posterUrl: mediaUrls.portraitDisplay(portrait.id, portrait.imageVersion) }),
      };
    },

    async recordView(visit) {
      const portrait = await portraits.findBySlug(db, visit.slug);
      if (portrait === undefined) return;
      // The analytics count the total (`view_count`) and the day together.
      await analytics.countPageView(portrait.id, { ip: visit.ip, userAgent: visit.userAgent });
    },

    async recordEvent(event) {
      const portrait = await portraits.findBySlug(db, event.slug);
      if (portrait === undefined) return;
      await analytics.countEvent(portrait.id, event.event, {
        ip: event.ip,
        userAgent: event.userAgent,
      });
    },
  };
}
