import type { Readable } from 'node:stream';

/**
 * The seams between the public AR page and the rest of the product. The viewer module owns the
 * HTTP side (`/p/{slug}`, `/markers/...`, the page and its assets); the domain (portraits,
 * videos, marker generation, storage, analytics) implements these interfaces.
 */

/** Size of the marker's source image: the print is `widthPx / dpi * 25.4` mm wide. */
export interface ViewerMarkerSize {
  widthPx: number;
  heightPx: number;
  dpi: number;
}

/** A marker set stored under an immutable, versioned key. */
export interface ViewerMarkerRef extends ViewerMarkerSize {
  portraitId: string;
  /** Changes whenever the marker is regenerated; part of the URL, so files are immutable. */
  version: string | number;
}

export interface ViewerVideo {
  /** Same-origin path of a phone-playable MP4 (H.264/AAC), served with HTTP Range support. */
  url: string;
}

/**
 * What the public page shows. Deliberately carries no name of the client (nor any other personal
 * data): the page is public, anyone holding the link or the print can open it.
 */
export type ViewerState =
  | {
      status: 'ready';
      marker: ViewerMarkerRef;
      video: ViewerVideo;
      /**
       * Same-origin path of a picture shown on the start screen while the viewer loads: the
       * portrait's display copy tells the buyer what to aim at.
       */
      posterUrl?: string;
    }
  /** The marker (or the video) is still being generated: the page refreshes itself. */
  | { status: 'processing' }
  /** Marker generation failed; staff have to act (the buyer sees a plain message). */
  | { status: 'failed' }
  /** The portrait exists but has no active video right now. */
  | { status: 'no_video' };

/** The studio the public page names (instead of the client): from the configuration. */
export interface StudioBranding {
  name: string;
  /** A same-origin path (`/media/...`) or an https: URL of the studio's logo. */
  logoUrl?: string;
  /** An https:, tel: or mailto: link to the studio. */
  contactUrl?: string;
}

export type ViewerStatus = ViewerState['status'];

/** What the page reports back (all optional for the implementer). */
export interface ViewerVisit {
  slug: string;
  status: ViewerStatus;
  at: Date;
  userAgent?: string;
  ip?: string;
}

export const VIEWER_EVENTS = [
  'start',
  'camera_ready',
  'marker_loaded',
  'marker_found',
  'marker_lost',
  'video_playing',
  'sound_on',
  'camera_denied',
  'no_camera',
  'camera_error',
  'unsupported',
  'load_error',
  /** The camera could not be used and the buyer played the video on its own. */
  'video_fallback',
] as const;
export type ViewerEventName = (typeof VIEWER_EVENTS)[number];

export interface ViewerEvent {
  slug: string;
  event: ViewerEventName;
  /** Milliseconds since the page started loading, measured by the phone. */
  sinceLoadMs: number;
  at: Date;
  userAgent?: string;
  ip?: string;
}

/** Looks a public slug up. Implemented by the portraits/videos domain. */
export interface ViewerLookup {
  /** `null` when no portrait has this slug (or it was deleted): the page answers 404. */
  findBySlug(slug: string): Promise<ViewerState | null>;
  /** Called once per page render of an existing portrait; failures are logged, never shown. */
  recordView?(visit: ViewerVisit): Promise<void>;
  /**
   * Interaction analytics sent by the page (`POST /p/{slug}/events`). The route exists only when
   * this is implemented.
   */
  recordEvent?(event: ViewerEvent): Promise<void>;
}

export const MARKER_EXTENSIONS = ['iset', 'fset', 'fset3'] as const;
export type MarkerExtension = (typeof MARKER_EXTENSIONS)[number];

export interface MarkerFile {
  body: Buffer | Readable;
  /** Bytes of `body`. */
  size: number;
  /** A strong validator, unique per file content, e.g. `"<sha256 prefix>"` (quotes included). */
  etag: string;
}

/** Reads generated marker files. Implemented by the markers domain (local disk or S3). */
export interface MarkerFileSource {
  /** `null` when the portrait, the version or the file does not exist. */
  open(portraitId: string, version: string, ext: MarkerExtension): Promise<MarkerFile | null>;
}
