import type { Database, Executor } from '../../infra/db/database.js';
import type { Clock } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { mediaUrls } from './media-urls.js';
import { derivePortraitStatus } from './portrait-status.js';
import type {
  PortraitFilter,
  PortraitListRow,
  PortraitRow,
  PortraitsRepo,
} from './portraits.repo.js';
import type { PortraitDetail, PortraitPage, PortraitSummary } from './portraits.schemas.js';

const parseAdvice = (json: string | null): string[] => {
  if (json === null) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((a): a is string => typeof a === 'string') : [];
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
  async function refreshStatus(
    portraitId: string,
    executor: Executor = db,
  ): Promise<PortraitRow['status'] | undefined> {
    const portrait = await portraits.findById(executor, portraitId);
    if (portrait === undefined) return undefined;
    const derived = derivePortraitStatus({
      imagesReady: portrait.imagesReadyAt !== null,
      imagesError: portrait.imagesError,
      marker: await portraits.currentMarker(executor, portrait),
      activeVideo: await portraits.activeVideo(executor, portrait.id),
    });
    if (derived.status !== portrait.status || derived.error !== portrait.error) {
      await portraits.setStatus(
        executor,
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
      imageVersion: portrait.imageVersion,
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

  const summaryOf = (row: PortraitListRow): PortraitSummary => ({
    id: row.id,
    slug: row.slug,
    clientId: row.clientId,
    clientName: row.clientName,
    status: row.status,
    publicUrl: publicUrl(row.slug),
    thumbnailUrl:
      row.imagesReadyAt === null
        ? null
        : mediaUrls.portraitThumbnail(row.id, 320, 'webp', row.imageVersion),
    viewCount: row.viewCount,
    createdAt: row.createdAt,
  });

  /** One page of portraits, newest first (`created_at desc, id desc`). */
  async function list(
    query: PortraitFilter & { limit: number; offset: number },
  ): Promise<PortraitPage> {
    const { rows, total } = await portraits.list(db, query);
    return { items: rows.map(summaryOf), total, limit: query.limit, offset: query.offset };
  }

  /** Every portrait of a client, newest first. */
  async function listOfClient(clientId: string): Promise<PortraitSummary[]> {
    const { rows } = await portraits.list(db, { clientId });
    return rows.map(summaryOf);
  }

  return { publicUrl, refreshStatus, getDetail, list, listOfClient };
}

export type PortraitsService = ReturnType<typeof createPortraitsService>;
