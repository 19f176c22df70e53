import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { ErrorBody } from '../../http/errors.js';
import { notFound } from '../../shared/errors.js';
import type { FunnelStep } from '../../infra/metrics/metrics.js';
import {
  CompressedCache,
  compress,
  ifNoneMatchHits,
  negotiateEncoding,
  representationEtag,
} from './content-encoding.js';
import type { ViewerAssetUrls } from './viewer-assets.routes.js';
import { VIEWER_LOCALES, negotiateLocale, type ViewerLocale } from './viewer.i18n.js';
import {
  DEFAULT_STUDIO,
  checkStudioBranding,
  isStudioLogoUrl,
  pageCsp,
  renderViewerPage,
  type PageContext,
  type ViewerPage,
} from './viewer.page.js';
import {
  MARKER_EXTENSIONS,
  VIEWER_EVENTS,
  type MarkerExtension,
  type MarkerFileSource,
  type StudioBranding,
  type ViewerLookup,
  type ViewerState,
} from './viewer.types.js';

export type * from './viewer.types.js';
export { storageMarkerFileSource } from './marker-file-source.js';

export interface ViewerRoutesOptions {
  /** `ViewerAssets.urls` of the instance whose routes serve them. */
  assets: ViewerAssetUrls;
  markers: MarkerFileSource;
  /** Language when neither `?lang=` nor `Accept-Language` names a supported one (default `ru`). */
  defaultLocale?: ViewerLocale;
  /** The studio the page names, links and shows the logo of (default `DEFAULT_STUDIO`). */
  studio?: StudioBranding;
  /**
   * The logo the studio uploaded in the admin app (a same-origin path), looked up per page when
   * `studio.logoUrl` is not configured. A failing lookup shows no logo, never an error.
   */
  uploadedLogoUrl?: () => Promise<string | undefined>;
  /** Seconds between reloads of the "processing" page (default 10). */
  processingRefreshSeconds?: number;
  /** Bytes of compressed marker files kept in memory (default 32 MiB). */
  markerCacheBytes?: number;
  /** Told of each AR page served and each funnel event the page reports (metrics). */
  funnel?: (step: FunnelStep, sinceStartMs?: number) => void;
}

/** The page's events that are steps of the AR funnel (after `page_load`, counted here). */
const FUNNEL_EVENTS: ReadonlySet<string> = new Set<FunnelStep>([
  'start',
  'marker_loaded',
  'marker_found',
  'video_playing',
]);
const isFunnelEvent = (event: string): event is FunnelStep => FUNNEL_EVENTS.has(event);

/** Public slugs: short, random, URL-safe. Anything else is a 404 without a lookup. */
const SLUG = /^[A-Za-z0-9_-]{1,64}$/;
const ID_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Marker files above this are streamed as they are (real ones are ≈ 0.5–1 MB). */
const MAX_COMPRESSED_MARKER_BYTES = 16 * 1024 * 1024;
const COMPRESSIBLE: ReadonlySet<MarkerExtension> = new Set(['fset', 'fset3']);

/**
 * The marker's URL as the page hands it to AR.js: relative, without a leading slash, without
 * extension (AR.js appends `.iset`, `.fset`, `.fset3`). With the page's `<base href="/">` and
 * AR.js's `origin + '/' + url`, it resolves to `GET /markers/{portraitId}/{version}/marker.*`.
 */
export function markerUrl(portraitId: string, version: string | number): string {
  return `markers/${encodeURIComponent(portraitId)}/${encodeURIComponent(String(version))}/marker`;
}

/** Adds to `Vary` rather than replacing what another plugin (CORS: `Origin`) put there. */
function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const fields = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (!fields.some((name) => name.toLowerCase() === field.toLowerCase())) fields.push(field);
  reply.header('vary', fields.join(', '));
}

function sendPage(
  reply: FastifyReply,
  status: number,
  page: ViewerPage,
  ctx: PageContext & { assets: ViewerAssetUrls },
) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', pageCsp(page, ctx.studio))
    .header(
      'permissions-policy',
      page.status === 'ready'
        ? 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()'
        : 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    )
    .header('cache-control', page.status === 'ready' ? 'private, no-cache' : 'no-store')
    .send(renderViewerPage(page, ctx));
}

function toPage(
  state: ViewerState,
  slug: string,
  lookup: ViewerLookup,
  refresh: number,
): ViewerPage {
  switch (state.status) {
    case 'ready':
      return {
        status: 'ready',
        pagePath: `/p/${slug}`,
        markerUrl: markerUrl(state.marker.portraitId, state.marker.version),
        marker: {
          widthPx: state.marker.widthPx,
          heightPx: state.marker.heightPx,
          dpi: state.marker.dpi,
        },
        videoUrl: state.video.url,
        posterUrl: state.posterUrl,
        analyticsUrl: lookup.recordEvent === undefined ? undefined : `/p/${slug}/events`,
      };
    case 'processing':
      return { status: 'processing', refreshSeconds: refresh };
    case 'failed':
      return { status: 'failed' };
    case 'no_video':
      return { status: 'no_video' };
  }
}

async function readAll(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buffer.length;
    if (total > limit) throw new Error('marker file larger than announced');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

const HtmlPage = Type.String({ description: 'HTML page' });
const Binary = Type.Unsafe<Buffer | Readable>({ type: 'string', format: 'binary' });
// A bodiless answer (204, 304): `void` lets the handler call `send()` without an argument.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
const NoBody = Type.Unsafe<void>({ description: 'No body' });

async function withUploadedLogo(
  studio: StudioBranding,
  uploaded: (() => Promise<string | undefined>) | undefined,
  log: FastifyBaseLogger,
): Promise<StudioBranding> {
  if (studio.logoUrl !== undefined || uploaded === undefined) return studio;
  try {
    const logoUrl = await uploaded();
    return logoUrl !== undefined && isStudioLogoUrl(logoUrl) ? { ...studio, logoUrl } : studio;
  } catch (error) {
    log.warn({ err: error }, 'looking up the uploaded studio logo failed');
    return studio;
  }
}

/**
 * The public AR page `GET /p/{slug}` (no login), its marker files `GET /markers/...`, and the
 * page's analytics beacon `POST /p/{slug}/events` (only when the lookup records events).
 */
export function viewerRoutes(
  lookup: ViewerLookup,
  options: ViewerRoutesOptions,
): FastifyPluginAsyncTypebox {
  const defaultLocale = options.defaultLocale ?? 'ru';
  // Checked once here too, so a bad branding fails at start-up rather than on every page.
  const studio = checkStudioBranding(options.studio ?? DEFAULT_STUDIO);
  const refresh = options.processingRefreshSeconds ?? 10;
  const compressed = new CompressedCache(options.markerCacheBytes ?? 32 * 1024 * 1024);

  return async (app) => {
    app.get(
      '/p/:slug',
      {
        schema: {
          tags: ['viewer'],
          summary: 'Public AR page of a portrait (HTML; no login)',
          description:
            '200 for every existing portrait (ready, processing, failed, no video: the page says ' +
            'which), 404 for an unknown slug.',
          params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 128 }) }),
          querystring: Type.Object({
            lang: Type.Optional(
              Type.String({
                maxLength: 64,
                examples: [...VIEWER_LOCALES],
                description: `Page language: ${VIEWER_LOCALES.join(' | ')} (overrides Accept-Language; other values are ignored)`,
              }),
            ),
          }),
          produces: ['text/html'],
          response: { 200: HtmlPage, 404: HtmlPage, 500: HtmlPage },
        },
        // A buyer's link never ends in a JSON 400: an odd `?lang=` (repeated, too long) is
        // ignored below, like an unknown one.
        attachValidation: true,
      },
      async (request, reply) => {
        const { slug } = request.params;
        addVary(reply, 'Accept-Language');
        const lang = request.validationError === undefined ? request.query.lang : undefined;
        const pageCtx = {
          assets: options.assets,
          locale: negotiateLocale(request.headers['accept-language'], defaultLocale, lang),
          studio: await withUploadedLogo(studio, options.uploadedLogoUrl, request.log),
        };
        if (!SLUG.test(slug)) return sendPage(reply, 404, { status: 'not_found' }, pageCtx);
        try {
          const state = await lookup.findBySlug(slug);
          if (state === null) return await sendPage(reply, 404, { status: 'not_found' }, pageCtx);
          const sent = await sendPage(reply, 200, toPage(state, slug, lookup, refresh), pageCtx);
          if (state.status === 'ready') options.funnel?.('page_load');
          if (lookup.recordView !== undefined) {
            const recordView = lookup.recordView.bind(lookup);
            const visit = {
              slug,
              status: state.status,
              at: new Date(),
              userAgent: request.headers['user-agent'],
              ip: request.ip,
            };
            // Never delays or breaks the page.
            Promise.resolve()
              .then(() => recordView(visit))
              .catch((error: unknown) => {
                request.log.warn({ err: error, slug }, 'recording a page view failed');
              });
          }
          return sent;
        } catch (error) {
          request.log.error({ err: error, slug }, 'viewer page failed');
          return sendPage(reply, 500, { status: 'server_error' }, pageCtx);
        }
      },
    );

    app.get(
      '/markers/:portraitId/:version/:file',
      {
        schema: {
          tags: ['viewer'],
          summary: 'NFT marker file of a portrait (immutable; brotli/gzip for .fset/.fset3)',
          params: Type.Object({
            portraitId: Type.String({ pattern: ID_PATTERN }),
            version: Type.String({ pattern: ID_PATTERN }),
            file: Type.String({
              maxLength: 32,
              description: 'marker.iset | marker.fset | marker.fset3',
            }),
          }),
          response: { 200: Binary, 304: NoBody, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const { portraitId, version, file } = request.params;
        const ext = file.startsWith('marker.') ? file.slice('marker.'.length) : '';
        if (!(MARKER_EXTENSIONS as readonly string[]).includes(ext)) throw notFound('marker file');
        const markerExt = ext as MarkerExtension;
        const opened = await options.markers.open(portraitId, version, markerExt);
        if (opened === null) throw notFound('marker file');
        const discard = () => {
          if (opened.body instanceof Readable) opened.body.destroy();
        };

        const compressible =
          COMPRESSIBLE.has(markerExt) && opened.size <= MAX_COMPRESSED_MARKER_BYTES;
        reply
          .header('cache-control', IMMUTABLE)
          .header('content-type', 'application/octet-stream')
          // The page shows download progress; with a content coding, Content-Length is not it.
          .header('x-decoded-length', String(opened.size));
        if (compressible) reply.header('vary', 'Accept-Encoding');
        if (ifNoneMatchHits(request.headers['if-none-match'], opened.etag)) {
          discard();
          return reply.header('etag', opened.etag).status(304).send();
        }
        const encoding = compressible
          ? negotiateEncoding(request.headers['accept-encoding'], ['br', 'gzip'])
          : 'identity';
        if (encoding === 'identity') {
          reply.header('etag', opened.etag);
          if (!(opened.body instanceof Readable)) return reply.send(opened.body);
          reply.header('content-length', String(opened.size));
          return reply.send(opened.body);
        }
        const body = await compressed.get(`${opened.etag}:${encoding}`, async () => {
          const raw =
            opened.body instanceof Readable ? await readAll(opened.body, opened.size) : opened.body;
          return compress(raw, encoding);
        });
        discard(); // a cache hit never read the stream; after a read this is a no-op
        return reply
          .header('etag', representationEtag(opened.etag, encoding))
          .header('content-encoding', encoding)
          .send(body);
      },
    );

    if (lookup.recordEvent !== undefined) {
      const recordEvent = lookup.recordEvent.bind(lookup);
      app.post(
        '/p/:slug/events',
        {
          bodyLimit: 1024,
          schema: {
            tags: ['viewer'],
            summary: 'Interaction analytics beacon of the public page (no login)',
            params: Type.Object({ slug: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
            body: Type.Object(
              {
                event: Type.Union(VIEWER_EVENTS.map((name) => Type.Literal(name))),
                sinceLoadMs: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
                /** `marker_found` only: since Start was tapped (the start→found histogram). */
                sinceStartMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
              },
              { additionalProperties: false },
            ),
            response: { 204: NoBody, 400: ErrorBody },
          },
        },
        async (request, reply) => {
          const { event, sinceStartMs } = request.body;
          if (isFunnelEvent(event)) options.funnel?.(event, sinceStartMs);
          try {
            await recordEvent({
              slug: request.params.slug,
              event: request.body.event,
              sinceLoadMs: request.body.sinceLoadMs,
              at: new Date(),
              userAgent: request.headers['user-agent'],
              // With the user agent, who the event is from: counted once per visitor and window.
              ip: request.ip,
            });
          } catch (error) {
            request.log.warn({ err: error }, 'recording a viewer event failed');
          }
          return reply.status(204).send();
        },
      );
    }
  };
}
