import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { receiveMultipart } from '../../http/multipart-files.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { UploadRules } from '../../http/uploads.js';
import type { RequireRole } from '../auth/auth.guard.js';
import type { PortraitImage } from './portrait-image.service.js';
import { PortraitDetailSchema, PortraitIdParams } from './portraits.schemas.js';

const ImageUploadBody = Type.Object({
  portrait: Type.String({
    format: 'binary',
    description: 'The new portrait photo: JPEG, PNG, WebP or HEIC (as for a new order)',
  }),
});

export interface PortraitImageRoutesDeps {
  requireRole: RequireRole;
  portraitImage: PortraitImage;
  uploads: Pick<UploadRules, 'tmpDir' | 'image'>;
}

/** Replacing a portrait's photo (a failed one, or a reprint): the link and QR code stay. */
export function portraitImageRoutes({
  requireRole,
  portraitImage,
  uploads,
}: PortraitImageRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/api/portraits/:id/image',
      {
        // Operators take orders and reprint them: replacing a photo is part of that work (it
        // removes nothing a buyer could still use: the link and QR code stay).
        onRequest: requireRole('operator'),
        // The multipart body is checked while it streams (receiveMultipart), not by Ajv.
        validatorCompiler: () => () => true,
        schema: {
          tags: ['portraits'],
          summary: "Replace a portrait's photo; the slug, public link and QR code stay",
          description:
            'multipart/form-data with one file field `portrait`, checked by content like an ' +
            "order's photo. Answers 202 with the portrait, processing again: a new marker " +
            'version is generated from the new photo, and the public page says the portrait is ' +
            'being prepared until it is ready. The previous photo and marker files are deleted ' +
            'once the new marker is ready (kept if it fails; the portrait then shows the failure ' +
            'and can get another photo). A refused file (`unsupported_media`, `image_too_small`, ' +
            '`image_too_large`, `image_corrupt`, `too_large`) changes nothing. 409 ' +
            '`marker_in_progress` while a marker of the portrait is being generated.',
          consumes: ['multipart/form-data'],
          security: AUTHENTICATED,
          params: PortraitIdParams,
          body: ImageUploadBody,
          response: {
            202: PortraitDetailSchema,
            ...AUTH_ERRORS,
            404: ErrorBody,
            409: ErrorBody,
            413: ErrorBody,
            415: ErrorBody,
            422: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const upload = await receiveMultipart(request, uploads.tmpDir, {
          files: { portrait: uploads.image },
          fields: {},
        });
        try {
          const detail = await portraitImage.replace(request.params.id, upload, actorOf(request));
          return await reply.status(202).send(detail);
        } finally {
          await upload.cleanup();
        }
      },
    );
  };
}
