import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../shared/errors.js';
import {
  BROTLI_MAX,
  compress,
  ifNoneMatchHits,
  negotiateEncoding,
  representationEtag,
  type Encoding,
} from './content-encoding.js';
import { ARJS_PATCHED_VERSION, patchArjs } from './arjs-patch.js';
import { CAMERA_MODEL_VERSION, cameraParamsFor, parseFrameSize } from './camera-model.js';

/**
 * The AR runtime served from our own origin (no CDN at run time): A-Frame, the AR.js
 * NFT build, ARToolKit camera parameters and the page's own script and styles. Everything is
 * read into memory once, under versioned paths, and served as immutable with an ETag; the big
 * JavaScript files are compressed once (gzip at once, brotli 11 in the background).
 */

export interface ViewerAssetUrls {
  aframe: string;
  arjs: string;
  /** Absolute path; the page hands AR.js the same path without its leading slash. */
  cameraParams: string;
  /**
   * Camera models per tracker frame size: `${cameraParamsDir}{width}x{height}.dat` (relative,
   * no leading slash: AR.js's worker fetches `origin + '/' + path`).
   */
  cameraParamsDir: string;
  /** The page's side of the AR.js patch (layout, tracker loop, projection). */
  arHost: string;
  script: string;
  style: string;
}

interface Asset {
  path: string;
  contentType: string;
  body: Buffer;
  etag: string;
  compressible: boolean;
  /** Filled as compression finishes; a missing entry means "not ready yet". */
  encoded: Partial<Record<Encoding, Buffer>>;
  pending: Partial<Record<Encoding, Promise<Buffer>>>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const JS = 'text/javascript; charset=utf-8';
const MIN_COMPRESS_BYTES = 1024;

const require = createRequire(import.meta.url);

/** The root folder of an installed package, even when its `exports` hide `package.json`. */
function packageRoot(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    let dir = path.dirname(require.resolve(name));
    for (;;) {
      const manifest = path.join(dir, 'package.json');
      if (existsSync(manifest)) {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
        if (parsed.name === name) return dir;
      }
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error(`cannot locate package ${name}`);
      dir = parent;
    }
  }
}

function packageVersion(root: string): string {
  const parsed = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  if (typeof parsed.version !== 'string' || !/^[\w.+-]+$/.test(parsed.version)) {
    throw new Error(`package at ${root} has no usable version`);
  }
  return parsed.version;
}

const sha256 = (body: Buffer): string => createHash('sha256').update(body).digest('hex');

/** The folder holding `web/viewer` (the page script and styles), from `src/` or `dist/`. */
export function defaultViewerWebDir(): string {
  return fileURLToPath(new URL('../../../web/viewer/', import.meta.url));
}

function makeAsset(assetPath: string, contentType: string, body: Buffer): Asset {
  return {
    path: assetPath,
    contentType,
    body,
    etag: `"${sha256(body).slice(0, 32)}"`,
    compressible: body.length >= MIN_COMPRESS_BYTES,
    encoded: {},
    pending: {},
  };
}

/** Source maps are not shipped: drop the comment so browsers do not ask for them. */
function withoutSourceMapComment(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const stripped = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return stripped === text ? body : Buffer.from(stripped, 'utf8');
}

export class ViewerAssets {
  private readonly byPath = new Map<string, Asset>();

  private constructor(
    readonly urls: ViewerAssetUrls,
    assets: Asset[],
  ) {
    for (const asset of assets) this.byPath.set(asset.path, asset);
  }

  /** Reads every file once. Fails fast (at start-up) if a package or file is missing. */
  static async load(options: { webDir?: string } = {}): Promise<ViewerAssets> {
    const webDir = options.webDir ?? defaultViewerWebDir();
    const aframeRoot = packageRoot('aframe');
    const arjsRoot = packageRoot('@ar-js-org/ar.js');
    const markerAppRoot = packageRoot('@webarkit/nft-marker-creator-app');
    const aframeVersion = packageVersion(aframeRoot);
    const arjsVersion = packageVersion(arjsRoot);

    const versioned = path.join(aframeRoot, 'dist', `aframe-v${aframeVersion}.min.js`);
    const aframeFile = existsSync(versioned)
      ? versioned
      : path.join(aframeRoot, 'dist', 'aframe-master.min.js');
    if (arjsVersion !== ARJS_PATCHED_VERSION) {
      throw new Error(
        `AR.js ${arjsVersion} installed; the viewer patch is for ${ARJS_PATCHED_VERSION}`,
      );
    }
    const [aframe, arjs, cameraParams, arHost, script, style] = await Promise.all([
      readFile(aframeFile).then(withoutSourceMapComment),
      readFile(path.join(arjsRoot, 'aframe', 'build', 'aframe-ar-nft.js'), 'utf8').then((code) =>
        Buffer.from(patchArjs(code), 'utf8'),
      ),
      readFile(path.join(markerAppRoot, 'demo', 'public', 'resources', 'camera_para.dat')),
      readFile(path.join(webDir, 'ar-host.js')),
      readFile(path.join(webDir, 'viewer.js')),
      readFile(path.join(webDir, 'viewer.css')),
    ]);
    const short = (body: Buffer): string => sha256(body).slice(0, 16);
    const urls: ViewerAssetUrls = {
      aframe: `/static/vendor/aframe-${aframeVersion}.min.js`,
      arjs: `/static/vendor/aframe-ar-nft-${arjsVersion}-${short(arjs)}.js`,
      cameraParams: `/static/vendor/camera_para-${short(cameraParams)}.dat`,
      cameraParamsDir: `/static/camera/${CAMERA_MODEL_VERSION}/`,
      arHost: `/static/viewer/${short(arHost)}/ar-host.js`,
      script: `/static/viewer/${short(script)}/viewer.js`,
      style: `/static/viewer/${short(style)}/viewer.css`,
    };
    return new ViewerAssets(urls, [
      makeAsset(urls.aframe, JS, aframe),
      makeAsset(urls.arjs, JS, arjs),
      makeAsset(urls.cameraParams, 'application/octet-stream', cameraParams),
      makeAsset(urls.arHost, JS, arHost),
      makeAsset(urls.script, JS, script),
      makeAsset(urls.style, 'text/css; charset=utf-8', style),
    ]);
  }

  /** Every served path with its size (for diagnostics and tests). */
  list(): { path: string; contentType: string; size: number }[] {
    return [...this.byPath.values()].map((a) => ({
      path: a.path,
      contentType: a.contentType,
      size: a.body.length,
    }));
  }

  /**
   * Compresses everything with the strongest settings (≈3 CPU-seconds for the two big files,
   * on the thread pool). Optional: without it, the first request of each file does the work.
   */
  async precompress(): Promise<void> {
    const jobs: Promise<Buffer>[] = [];
    for (const asset of this.byPath.values()) {
      if (!asset.compressible) continue;
      jobs.push(this.encode(asset, 'gzip'), this.encode(asset, 'br'));
    }
    await Promise.all(jobs);
  }

  /** @internal used by the routes */
  asset(assetPath: string): Asset | undefined {
    return this.byPath.get(assetPath);
  }

  /**
   * The encoding to send now: brotli only once its (slow, maximal) compression is done — until
   * then gzip, which takes a few tens of milliseconds even for the 1.7 MB AR.js file.
   */
  async choose(asset: Asset, accept: string | string[] | undefined) {
    if (!asset.compressible) return { encoding: 'identity' as const, body: asset.body };
    const wanted = negotiateEncoding(accept, ['br', 'gzip']);
    if (wanted === 'br') {
      const ready = asset.encoded.br;
      if (ready !== undefined) return { encoding: 'br' as const, body: ready };
      void this.encode(asset, 'br').catch(() => undefined);
      if (negotiateEncoding(accept, ['gzip']) === 'gzip') {
        return { encoding: 'gzip' as const, body: await this.encode(asset, 'gzip') };
      }
      return { encoding: 'br' as const, body: await this.encode(asset, 'br') };
    }
    if (wanted === 'gzip') {
      return { encoding: 'gzip' as const, body: await this.encode(asset, 'gzip') };
    }
    return { encoding: 'identity' as const, body: asset.body };
  }

  private encode(asset: Asset, encoding: Encoding): Promise<Buffer> {
    const ready = asset.encoded[encoding];
    if (ready !== undefined) return Promise.resolve(ready);
    const pending = asset.pending[encoding];
    if (pending !== undefined) return pending;
    const job = compress(asset.body, encoding, BROTLI_MAX).then((body) => {
      asset.encoded[encoding] = body;
      return body;
    });
    asset.pending[encoding] = job;
    job.catch(() => {
      asset.pending[encoding] = undefined;
    });
    return job;
  }
}

async function sendAsset(
  assets: ViewerAssets,
  asset: Asset,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  reply.header('cache-control', IMMUTABLE);
  if (asset.compressible) reply.header('vary', 'Accept-Encoding');
  if (ifNoneMatchHits(request.headers['if-none-match'], asset.etag)) {
    return reply.header('etag', asset.etag).status(304).send();
  }
  const chosen = await assets.choose(asset, request.headers['accept-encoding']);
  reply.header('content-type', asset.contentType);
  reply.header('etag', representationEtag(asset.etag, chosen.encoding));
  if (chosen.encoding !== 'identity') reply.header('content-encoding', chosen.encoding);
  return reply.send(chosen.body);
}

/** `GET` (and `HEAD`) for each asset path. No authentication: the public page needs them. */
export function viewerAssetsRoutes(assets: ViewerAssets): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const { path: assetPath } of assets.list()) {
      const asset = assets.asset(assetPath);
      if (asset === undefined) continue;
      app.get(
        assetPath,
        {
          schema: {
            tags: ['viewer'],
            summary: 'AR page runtime file (immutable; gzip/brotli; ETag)',
          },
        },
        (request, reply) => sendAsset(assets, asset, request, reply),
      );
    }

    app.get(
      `${assets.urls.cameraParamsDir}:file`,
      {
        schema: {
          tags: ['viewer'],
          summary: 'ARToolKit camera model for a tracker frame size (immutable)',
          params: Type.Object({
            file: Type.String({ maxLength: 16, description: '{width}x{height}.dat, 16–4096 px' }),
          }),
        },
      },
      async (request, reply) => {
        const frame = parseFrameSize(request.params.file);
        if (frame === null) throw notFound('camera parameters');
        const body = cameraParamsFor(frame);
        const etag = `"${sha256(body).slice(0, 32)}"`;
        reply.header('cache-control', IMMUTABLE).header('etag', etag);
        if (ifNoneMatchHits(request.headers['if-none-match'], etag))
          return reply.status(304).send();
        return reply.header('content-type', 'application/octet-stream').send(body);
      },
    );
  };
}
