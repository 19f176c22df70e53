import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BinaryBody, ErrorBody } from '../../http/errors.js';
import { IMMUTABLE, sendStored } from '../../http/send-stored.js';
import type { Database } from '../../infra/db/database.js';
import { parseStorageKey, type Storage } from '../../infra/storage/index.js';
import { notFound } from '../../shared/errors.js';
import { portraitKeys } from '../portraits/portrait-keys.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import type { VideosRepo } from './videos.repo.js';

const VideoParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export interface MediaRoutesDeps {
  database: Pick<Database, 'db'>;
  storage: Storage;
  videosRepo: Pick<VideosRepo, 'findReadyFiles'>;
  portraitsRepo: Pick<PortraitsRepo, 'readyImageVersion'>;
}

/**
 * Public video files for the AR page: the phone-playable MP4 (HTTP Range, so phones can seek
 * and stream) and its poster. Video ids are random and the files never change once ready, so
 * they are cached as immutable (CDN-friendly). Also the portrait's display copy.
 */
export function mediaRoutes(deps: MediaRoutesDeps): FastifyPluginAsyncTypebox {
  const { storage } = deps;
  const { db } = deps.database;
  const readyVideo = async (id: string) => {
    const video = await deps.videosRepo.findReadyFiles(db, id);
    if (video === undefined) throw notFound('video');
    return video;
  };
  /** The version of the portrait's photo whose images are stored (404 while there is none). */
  const readyImageVersion = async (portraitId: string): Promise<number> => {
    const version = await deps.portraitsRepo.readyImageVersion(db, portraitId);
    if (version === undefined) throw notFound('portrait image');
    return version;
  };
  /**
   * A URL that names the current photo (`?v=` of a replaced photo; none for the first) never
   * changes content: immutable. Any other (an old link, a page built before a replacement) is
   * answered with the current photo, to be revalidated (its ETag names the version).
   */
  const imageCache = (current: number, asked: number | undefined) =>
    (asked ?? 1) === current ? IMMUTABLE : 'no-cache';
  const ImageVersionQuery = Type.Object({
    v: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The photo version (`imageVersion`) the URL names' }),
    ),
  });
  const responses = { 200: BinaryBody, 206: BinaryBody, 404: ErrorBody, 416: ErrorBody };
  const imageTypes = { jpg: 'image/jpeg', webp: 'image/webp' } as const;

  return async (app) => {
    const videoFiles = [
      {
        url: '/media/videos/:id/video.mp4',
        summary: 'Phone-playable MP4 of a video (supports Range requests)',
        key: (video: Awaited<ReturnType<typeof readyVideo>>) => video.playableKey,
        contentType: 'video/mp4',
        etagPrefix: 'v',
      },
      {
        url: '/media/videos/:id/poster.jpg',
        summary: 'Poster frame of a video',
        key: (video: Awaited<ReturnType<typeof readyVideo>>) => video.posterKey,
        contentType: 'image/jpeg',
        etagPrefix: 'p',
      },
    ];
    for (const file of videoFiles) {
      app.get(
        file.url,
        {
          schema: {
            tags: ['media'],
            summary: file.summary,
            params: VideoParams,
            response: responses,
          },
        },
        async (request, reply) => {
          const video = await readyVideo(request.params.id);
          return sendStored(request, reply, storage, parseStorageKey(file.key(video)), {
            contentType: file.contentType,
            etag: `${file.etagPrefix}-${video.id}`,
            cacheControl: IMMUTABLE,
          });
        },
      );
    }

    app.get(
      '/media/portraits/:id/display.:format',
      {
        schema: {
          tags: ['media'],
          summary:
            'Display copy of a portrait (upright, no metadata), shown while the AR page loads',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            format: Type.Union([Type.Literal('jpg'), Type.Literal('webp')]),
          }),
          querystring: ImageVersionQuery,
          response: responses,
        },
      },
      async (request, reply) => {
        const { id, format } = request.params;
        const version = await readyImageVersion(id);
        return sendStored(request, reply, storage, portraitKeys.display(id, format, version), {
          contentType: imageTypes[format],
          etag: version === 1 ? `d-${id}-${format}` : `d-${id}-${version}-${format}`,
          cacheControl: imageCache(version, request.query.v),
        });
      },
    );

    app.get(
      '/media/portraits/:id/thumb-:size.:format',
      {
        schema: {
          tags: ['media'],
          summary: 'Thumbnail of a portrait (long side 320 or 640 px, upright, no metadata)',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            size: Type.Union([Type.Literal('320'), Type.Literal('640')]),
            format: Type.Union([Type.Literal('jpg'), Type.Literal('webp')]),
          }),
          querystring: ImageVersionQuery,
          response: responses,
        },
      },
      async (request, reply) => {
        const { id, size, format } = request.params;
        const version = await readyImageVersion(id);
        const px = Number(size);
        const key = portraitKeys.thumbnail(id, px, format, version);
        return sendStored(request, reply, storage, key, {
          contentType: imageTypes[format],
          etag: version === 1 ? `t-${id}-${px}-${format}` : `t-${id}-${px}-${version}-${format}`,
          cacheControl: imageCache(version, request.query.v),
        });
      },
    );
  };
}
