import type { Database } from '../../infra/db/database.js';
import type { Clock } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import {
  derivePortraitStatus,
  type MarkerRow,
  type PortraitRow,
  type PortraitsRepo,
  type VideoRow,
} from './portraits.repo.js';

export interface PortraitDetail {
  id: string;
  slug: string;
  clientId: string;
  status: PortraitRow['status'];
  publicUrl: string;
  error?: string;
  width: number;
  height: number;
  viewCount: number;
  createdAt: string;
  marker: {
    version: number;
    status: MarkerRow['status'];
    error?: string;
    errorCode?: string;
    widthMm: number | null;
    heightMm: number | null;
    dpi: number | null;
    trackingPoints: number | null;
    freakPoints: number | null;
    quality: { score: number | null; advice: string[] };
    selfTest: { found: boolean | null; cornerErrorPx: number | null };
  } | null;
  activeVideo: {
    id: string;
    status: VideoRow['status'];
    error?: string;
    posterUrl: string | null;
    videoUrl: string | null;
    durationSeconds: number | null;
  } | null;
}

const parseAdvice = (json: string | null): string[] => {
  if (json === null) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((a): a is string => typeof a === 'string') : [];
};

/** Same-origin paths of public media (served by `media.routes.ts`). */
export const mediaUrls = {
  video: (videoId: string) => `/media/videos/${videoId}/video.mp4`,
  poster: (videoId: string) => `/media/videos/${videoId}/poster.jpg`,
  portraitDisplay: (portraitId: string) => `/media/portraits/${portraitId}/display.jpg`,
};

interface Deps {
  database: Database;
  portraits: PortraitsRepo;
  clock: Clock;
  publicBaseUrl: string;
}

export function createPortraitsService({ database, portraits, clock, publicBaseUrl }: Deps) {
  const { db } = database;
  const publicUrl = (slug: string) => `${publicBaseUrl}/p/${slug}`;

  /** Re-derives and stores a portrait's status after one of its parts changed. */
  async function refreshStatus(portraitId: string): Promise<PortraitRow['status'] | undefined> {
    const portrait = await portraits.findById(db, portraitId);
    if (portrait === undefined) return undefined;
    const derived = derivePortraitStatus({
      imagesReady: portrait.imagesReadyAt !== null,
      imagesError: portrait.imagesError,
      marker: await portraits.currentMarker(db, portrait),
      activeVideo: await portraits.activeVideo(db, portrait.id),
    });
    if (derived.status !== portrait.status || derived.error !== portrait.error) {
      await portraits.setStatus(
        db,
        portrait.id,
        derived.status,
        derived.error,
        clock.now().toISOString(),
      );
    }
    return derived.status;
  }

  async function getDetail(id: string): Promise<PortraitDetail> {
    const portrait = await portraits.findById(db, id);
    if (portrait === undefined) throw notFound('portrait');
    const marker = await portraits.currentMarker(db, portrait);
    const video = await portraits.activeVideo(db, portrait.id);
    return {
      id: portrait.id,
      slug: portrait.slug,
      clientId: portrait.clientId,
      status: portrait.status,
      publicUrl: publicUrl(portrait.slug),
      ...(portrait.error === null ? {} : { error: portrait.error }),
      width: portrait.width,
      height: portrait.height,
      viewCount: portrait.viewCount,
      createdAt: portrait.createdAt,
      marker:
        marker === undefined
          ? null
          : {
              version: marker.version,
              status: marker.status,
              ...(marker.error === null ? {} : { error: marker.error }),
              ...(marker.errorCode === null ? {} : { errorCode: marker.errorCode }),
              widthMm: marker.widthMm,
              heightMm: marker.heightMm,
              dpi: marker.dpi,
              trackingPoints: marker.trackingPoints,
              freakPoints: marker.freakPoints,
              quality: { score: marker.qualityScore, advice: parseAdvice(marker.qualityAdvice) },
              selfTest: {
                found: marker.selfTestFound === null ? null : marker.selfTestFound === 1,
                cornerErrorPx: marker.selfTestCornerErrorPx,
              },
            },
      activeVideo:
        video === undefined
          ? null
          : {
              id: video.id,
              status: video.status,
              ...(video.error === null ? {} : { error: video.error }),
              posterUrl: video.posterKey === null ? null : mediaUrls.poster(video.id),
              videoUrl: video.playableKey === null ? null : mediaUrls.video(video.id),
              durationSeconds: video.durationSeconds,
            },
    };
  }

  return { publicUrl, refreshStatus, getDetail };
}

export type PortraitsService = ReturnType<typeof createPortraitsService>;
