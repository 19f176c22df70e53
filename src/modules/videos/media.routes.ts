import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { BinaryBody, ErrorBody } from '../../http/errors.js';
import { IMMUTABLE, sendStored } from '../../http/send-stored.js';
import { parseStorageKey } from '../../infra/storage/index.js';
import { notFound } from '../../shared/errors.js';
import { portraitKeys } from '../portraits/portrait-keys.js';

const VideoParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Public video files for the AR page: the phone-playable MP4 (HTTP Range, so phones can seek
 * and stream) and its poster. Video ids are random and the files never change once ready, so
 * they are cached as immutable (CDN-friendly). Also the portrait's display copy.
 */
export function mediaRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const { db } = ctx.database;
  const readyVideo = async (id: string) => {
    const video = await db
      .selectFrom('videos')
      .select(['id', 'playableKey', 'posterKey', 'sizeBytes'])
      .where('id', '=', id)
      .where('status', '=', 'ready')
      .executeTakeFirst();
    if (video?.playableKey == null || video.posterKey === null) throw notFound('video');
    return { ...video, playableKey: video.playableKey, posterKey: video.posterKey };
  };
  const assertImagesReady = async (portraitId: string) => {
    const portrait = await db
      .selectFrom('portraits')
      .select('imagesReadyAt')
      .where('id', '=', portraitId)
      .executeTakeFirst();
    if (portrait?.imagesReadyAt == null) throw notFound('portrait image');
  };
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
          return sendStored(request, reply, ctx.storage, parseStorageKey(file.key(video)), {
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
          response: responses,
        },
      },
      async (request, reply) => {
        const { id, format } = request.params;
        await assertImagesReady(id);
        return sendStored(request, reply, ctx.storage, portraitKeys.display(id, format), {
          contentType: imageTypes[format],
          etag: `d-${id}-${format}`,
          cacheControl: IMMUTABLE,
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
          response: responses,
        },
      },
      async (request, reply) => {
        const { id, size, format } = request.params;
        await assertImagesReady(id);
        const px = Number(size);
        return sendStored(request, reply, ctx.storage, portraitKeys.thumbnail(id, px, format), {
          contentType: imageTypes[format],
          etag: `t-${id}-${px}-${format}`,
          cacheControl: IMMUTABLE,
        });
      },
    );
  };
}
