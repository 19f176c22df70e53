import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, BinaryBody, ErrorBody } from '../../http/errors.js';
import { receiveMultipart, type FileFieldSpec } from '../../http/multipart-files.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import { IMMUTABLE, sendStored } from '../../http/send-stored.js';
import type { UploadRules } from '../../http/uploads.js';
import { assertKind, sniff } from '../../infra/media/index.js';
import type { Storage } from '../../infra/storage/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import type { RequireRole } from '../auth/auth.guard.js';
import {
  LOGO_FORMATS,
  LOGO_MAX_BYTES,
  logoVersion,
  STUDIO_LOGO_PATH,
  type StudioService,
} from './studio.service.js';
import { LogoFileQuery, LogoUploadBody, StudioLogoState } from './studio.schemas.js';

/** Refuses anything but PNG/JPEG/WebP from the first bytes, before the rest is streamed. */
const logoField: FileFieldSpec = {
  maxBytes: LOGO_MAX_BYTES,
  required: true,
  checkHeader(header) {
    const type = assertKind(sniff(header), 'image');
    if (!LOGO_FORMATS.includes(type)) {
      throw new AppError('unsupported_media', 415, 'The logo must be a PNG, JPEG or WebP image', {
        field: 'logo',
        detected: type,
      });
    }
    return type;
  },
};

export interface StudioRoutesDeps {
  requireRole: RequireRole;
  studioService: Pick<StudioService, 'getLogo' | 'setLogo' | 'removeLogo' | 'logoFile'>;
  uploads: Pick<UploadRules, 'tmpDir'>;
  storage: Storage;
}

/**
 * The studio's uploaded logo: read (any user), replace and remove (admins), and the public PNG
 * the AR page shows.
 */
export function studioRoutes({
  requireRole,
  studioService: studio,
  uploads,
  storage,
}: StudioRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/studio/logo',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['studio'],
          summary: "The studio's uploaded logo, or null",
          security: AUTHENTICATED,
          response: { 200: StudioLogoState, ...AUTH_ERRORS },
        },
      },
      async () => ({ logo: await studio.getLogo() }),
    );

    app.put(
      '/api/studio/logo',
      {
        onRequest: requireRole('admin'),
        // The multipart body is checked while it streams (receiveMultipart), not by Ajv.
        validatorCompiler: () => () => true,
        schema: {
          tags: ['studio'],
          summary: "Upload or replace the studio's logo (admin)",
          description:
            'multipart/form-data with one file field `logo`: PNG, JPEG or WebP, checked by ' +
            'content (magic bytes, full decode), at most 5 MiB. Stored re-encoded as a PNG ' +
            '(long side at most 512 px, transparency kept, no metadata); the previous logo is ' +
            'deleted. A refused file changes nothing.',
          consumes: ['multipart/form-data'],
          security: AUTHENTICATED,
          body: LogoUploadBody,
          response: {
            200: StudioLogoState,
            ...AUTH_ERRORS,
            413: ErrorBody,
            415: ErrorBody,
            422: ErrorBody,
          },
        },
      },
      async (request) => {
        const upload = await receiveMultipart(request, uploads.tmpDir, {
          files: { logo: logoField },
          fields: {},
        });
        try {
          return { logo: await studio.setLogo(upload, actorOf(request)) };
        } finally {
          await upload.cleanup();
        }
      },
    );

    app.delete(
      '/api/studio/logo',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['studio'],
          summary: "Remove the studio's logo (admin); without one, nothing happens",
          security: AUTHENTICATED,
          response: { 204: Type.Null(), ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        await studio.removeLogo(actorOf(request));
        return reply.status(204).send(null);
      },
    );

    app.get(
      STUDIO_LOGO_PATH,
      {
        schema: {
          tags: ['media'],
          summary: "The studio's logo (PNG) for the public page; 404 when there is none",
          description:
            'With `?v=` of the current logo (as in its URL) the answer is cached as immutable; ' +
            'otherwise the client revalidates every time (ETag).',
          querystring: LogoFileQuery,
          response: { 200: BinaryBody, 206: BinaryBody, 404: ErrorBody, 416: ErrorBody },
        },
      },
      async (request, reply) => {
        const logo = await studio.logoFile();
        if (logo === undefined) throw notFound('studio logo');
        const current = request.query.v === logoVersion(logo.etag);
        return sendStored(request, reply, storage, logo.key, {
          contentType: logo.contentType,
          etag: `logo-${logoVersion(logo.etag)}`,
          cacheControl: current ? IMMUTABLE : 'no-cache',
        });
      },
    );
  };
}
