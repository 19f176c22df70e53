import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { receiveMultipart } from '../../http/multipart-files.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { UploadRules } from '../../http/uploads.js';
import type { RequireRole } from '../auth/auth.guard.js';
import {
  PortraitIdParams,
  VideoAccepted,
  VideoIdParams,
  VideoList,
  VideoSchema,
  VideoUploadBody,
} from './videos.schemas.js';
import type { VideosService } from './videos.service.js';

export interface VideosRoutesDeps {
  requireRole: RequireRole;
  videosService: VideosService;
  uploads: Pick<UploadRules, 'tmpDir' | 'video'>;
}

/** A portrait's videos: add, list, activate, delete (operators and admins). */
export function videosRoutes({
  requireRole,
  videosService: videos,
  uploads,
}: VideosRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/portraits/:id/videos',
      {
        onRequest: requireRole('operator'),
        // The multipart body is checked while it streams (receiveMultipart), not by Ajv; an id
        // that is no portrait's (malformed or not) is a 404 from the service.
        validatorCompiler: () => () => true,
        schema: {
          tags: ['videos'],
          summary: 'Add a video to a portrait; it is processed in the background',
          description:
            'multipart/form-data with one file field `video`, streamed and checked by content ' +
            '(magic bytes, ffprobe). Answers 202 at once. The new video becomes active only when ' +
            'the portrait has no active video; otherwise activate it once it is ready. The ' +
            "portrait's public link and QR code do not change.",
          consumes: ['multipart/form-data'],
          security: AUTHENTICATED,
          params: PortraitIdParams,
          body: VideoUploadBody,
          response: {
            202: VideoAccepted,
            ...AUTH_ERRORS,
            404: ErrorBody,
            413: ErrorBody,
            415: ErrorBody,
            422: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const upload = await receiveMultipart(request, uploads.tmpDir, {
          files: { video: uploads.video },
          fields: {},
        });
        try {
          const result = await videos.add(request.params.id, upload, actorOf(request));
          return await reply.status(202).send(result);
        } finally {
          await upload.cleanup();
        }
      },
    );

    app.get(
      '/api/portraits/:id/videos',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['videos'],
          summary: "A portrait's videos, newest first",
          security: AUTHENTICATED,
          params: PortraitIdParams,
          response: { 200: VideoList, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request) => ({ items: await videos.list(request.params.id) }),
    );

    app.post(
      '/api/videos/:id/activate',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['videos'],
          summary: "Make a ready video the portrait's active one",
          description:
            'The previous active video is deactivated in the same transaction: a portrait never ' +
            'has two active videos (enforced by the database). 409 `video_not_ready` unless the ' +
            'video is ready.',
          security: AUTHENTICATED,
          params: VideoIdParams,
          response: { 200: VideoSchema, ...AUTH_ERRORS, 404: ErrorBody, 409: ErrorBody },
        },
      },
      (request) => videos.activate(request.params.id, actorOf(request)),
    );

    app.delete(
      '/api/videos/:id',
      {
        // Deletes are admin-only, like those of clients and portraits: removing the active
        // video changes what a buyer's page plays. Operators replace it instead (upload, then
        // activate), which keeps the old one.
        onRequest: requireRole('admin'),
        schema: {
          tags: ['videos'],
          summary: 'Delete a video and its files (admin)',
          description:
            'Admins only (operators get 403 `forbidden`). Deleting the active video activates ' +
            'the most recent remaining ready one; with none left, the public page shows that ' +
            'the portrait has no video.',
          security: AUTHENTICATED,
          params: VideoIdParams,
          response: { 204: Type.Null(), ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await videos.remove(request.params.id, actorOf(request));
        return reply.status(204).send(null);
      },
    );
  };
}
