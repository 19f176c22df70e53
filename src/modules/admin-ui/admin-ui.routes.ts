import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../shared/errors.js';
import {
  CompressedCache,
  compress,
  ifNoneMatchHits,
  negotiateEncoding,
  representationEtag,
} from '../viewer/content-encoding.js';

/**
 * The admin single-page app (web/admin, built by Vite into dist/web/admin), served under
 * `/admin/`: hashed assets as immutable, every other path as `index.html` so client-side
 * routes survive reloads and deep links. The app's code is public; its data needs a session.
 */

/**
 * Only our own origin, nothing inline (the Vite build emits none: no inline script or style in
 * index.html, React sets styles through the CSSOM), no framing.
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MIN_COMPRESS_BYTES = 1024;

const CONTENT_TYPES: Record<string, { type: string; compressible: boolean }> = {
  '.js': { type: 'text/javascript; charset=utf-8', compressible: true },
  '.css': { type: 'text/css; charset=utf-8', compressible: true },
  '.svg': { type: 'image/svg+xml', compressible: true },
  '.json': { type: 'application/json; charset=utf-8', compressible: true },
  '.txt': { type: 'text/plain; charset=utf-8', compressible: true },
  '.png': { type: 'image/png', compressible: false },
  '.jpg': { type: 'image/jpeg', compressible: false },
  '.webp': { type: 'image/webp', compressible: false },
  '.ico': { type: 'image/x-icon', compressible: true },
  '.woff2': { type: 'font/woff2', compressible: false },
};

/** `dist/web/admin/` of the repository, from `src/` (tests) as from `dist/` (production). */
export function defaultAdminUiDir(): string {
  return fileURLToPath(new URL('../../../dist/web/admin/', import.meta.url));
}

interface LoadedFile {
  body: Buffer;
  etag: string;
  /** Identity of the file on disk: a rebuild replaces it. */
  stamp: string;
}

/** Files read once and re-read only when they change on disk (a rebuild while running). */
class FileCache {
  private readonly files = new Map<string, LoadedFile>();

  async get(file: string): Promise<LoadedFile | null> {
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile()) {
      this.files.delete(file);
      return null;
    }
    const stamp = `${info.size}:${info.mtimeMs}`;
    const cached = this.files.get(file);
    if (cached?.stamp === stamp) return cached;
    const body = await readFile(file);
    const loaded = {
      body,
      etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`,
      stamp,
    };
    this.files.set(file, loaded);
    return loaded;
  }
}

function notBuiltPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Admin app not built · Vertex AR</title></head>
<body>
<h1>The admin app is not built</h1>
<p>This server has no <code>dist/web/admin/index.html</code>. Build it with
<code>npm run build</code> (it runs <code>vite build --config web/admin/vite.config.ts</code>),
then reload this page.</p>
<p>The API (<a href="/api/docs">/api/docs</a>) and the public AR pages work without it.</p>
</body>
</html>
`;
}

export interface AdminUiOptions {
  /** Folder with the built app (`index.html`, `assets/`). */
  dir?: string;
}

export function adminUiRoutes(options: AdminUiOptions = {}): FastifyPluginAsyncTypebox {
  const dir = options.dir ?? defaultAdminUiDir();
  const assetsDir = path.join(dir, 'assets');
  const files = new FileCache();
  const compressed = new CompressedCache(16 * 1024 * 1024);

  const secure = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', ADMIN_CSP)
      .header('x-frame-options', 'DENY')
      .header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');

  async function sendBody(
    request: FastifyRequest,
    reply: FastifyReply,
    file: LoadedFile,
    contentType: string,
    compressible: boolean,
  ) {
    reply.header('content-type', contentType);
    const canCompress = compressible && file.body.length >= MIN_COMPRESS_BYTES;
    if (canCompress) reply.header('vary', 'Accept-Encoding');
    if (ifNoneMatchHits(request.headers['if-none-match'], file.etag)) {
      return reply.header('etag', file.etag).status(304).send();
    }
    const encoding = canCompress
      ? negotiateEncoding(request.headers['accept-encoding'], ['br', 'gzip'])
      : 'identity';
    reply.header('etag', representationEtag(file.etag, encoding));
    if (encoding === 'identity') return reply.send(file.body);
    const body = await compressed.get(`${file.etag}:${encoding}`, () =>
      compress(file.body, encoding),
    );
    return reply.header('content-encoding', encoding).send(body);
  }

  async function sendIndex(request: FastifyRequest, reply: FastifyReply) {
    const index = await files.get(path.join(dir, 'index.html'));
    secure(reply);
    if (index === null) {
      return reply
        .status(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', NOT_BUILT_CSP)
        .header('cache-control', 'no-store')
        .header('retry-after', '60')
        .send(notBuiltPage());
    }
    // Always revalidated: a new build must reach the browser at once (the assets it names are new).
    reply.header('cache-control', 'no-cache');
    return sendBody(request, reply, index, 'text/html; charset=utf-8', true);
  }

  return async (app) => {
    app.get(
      '/admin',
      { schema: { tags: ['admin-ui'], summary: 'Redirects to /admin/' } },
      async (request, reply) => {
        const query = request.url.indexOf('?');
        return reply.redirect(`/admin/${query === -1 ? '' : request.url.slice(query)}`, 301);
      },
    );

    app.get(
      '/admin/assets/*',
      {
        schema: {
          tags: ['admin-ui'],
          summary: 'Admin app build output (hashed names: immutable; gzip/brotli; ETag)',
        },
      },
      async (request, reply) => {
        const name = (request.params as { '*': string })['*'];
        const type = CONTENT_TYPES[path.extname(name).toLowerCase()];
        if (!ASSET_NAME.test(name) || type === undefined) throw notFound('asset');
        const file = await files.get(path.join(assetsDir, name));
        if (file === null) throw notFound('asset');
        secure(reply).header('cache-control', IMMUTABLE);
        return sendBody(request, reply, file, type.type, type.compressible);
      },
    );

    app.get(
      '/admin/*',
      {
        schema: {
          tags: ['admin-ui'],
          summary: 'The admin app (index.html for every client-side route)',
        },
      },
      sendIndex,
    );
  };
}
