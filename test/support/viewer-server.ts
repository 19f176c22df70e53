import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { ErrorBody, registerErrorHandling } from '../../src/http/errors.js';
import { registerSecurityHeaders } from '../../src/http/security-headers.js';
import { buildMarker } from '../../src/infra/markers/build-marker.js';
import { ViewerAssets, viewerAssetsRoutes } from '../../src/modules/viewer/viewer-assets.routes.js';
import { viewerRoutes } from '../../src/modules/viewer/viewer.routes.js';
import type {
  MarkerExtension,
  MarkerFileSource,
  ViewerEvent,
  ViewerLookup,
  ViewerMarkerSize,
  ViewerState,
} from '../../src/modules/viewer/viewer.types.js';
import { makePortraitFixture } from '../fixtures/portrait.js';
import {
  buildCameraFile,
  buildPoster,
  buildTestVideo,
  tiltedQuad,
  type CameraFile,
} from './camera.js';

/**
 * The public AR page served by the product's viewer routes with a real marker, for browser tests
 * and benchmarks: no database, the states of a few slugs fixed in memory.
 */

// ---------------------------------------------------------------------------------------------
// The ready state's marker: the product's own, generated from the fixture portrait by the real
// marker pipeline (buildMarker: ARToolKit generation, validation, self-test), and the fixture
// portrait as the print the camera sees.

export interface ReadyMarkerFixture {
  portraitId: string;
  version: string;
  size: ViewerMarkerSize;
  files: MarkerFileSource;
  /** The picture as printed (what the camera sees). */
  print: Buffer;
}

/** Serves `<dir>/<base>.{iset,fset,fset3}` as one portrait's marker. */
function directoryMarkerSource(
  portraitId: string,
  version: string,
  dir: string,
  base: string,
): MarkerFileSource {
  return {
    async open(id, ver, ext: MarkerExtension) {
      if (id !== portraitId || ver !== version) return null;
      const body = await readFile(path.join(dir, `${base}.${ext}`));
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
      return { body, size: body.length, etag };
    },
  };
}

async function productMarker(dir: string): Promise<ReadyMarkerFixture> {
  const print = await makePortraitFixture();
  const build = await buildMarker(print);
  for (const ext of ['iset', 'fset', 'fset3'] as const) {
    await writeFile(path.join(dir, `portrait.${ext}`), build.files[ext]);
  }
  return {
    portraitId: 'fixture-portrait',
    version: '1',
    size: { widthPx: build.width, heightPx: build.height, dpi: build.dpi },
    files: directoryMarkerSource('fixture-portrait', '1', dir, 'portrait'),
    print,
  };
}

export interface ViewerServer {
  app: FastifyInstance;
  baseUrl: string;
  hits: Map<string, number>;
  /** `<status> <method> <url>` of every answer >= 400. */
  errors: string[];
  events: ViewerEvent[];
  views: string[];
}

export const READY_SLUG = 'portrait-demo';
export const ODD_SLUG = 'portrait-odd-sizes';
/** The studio's name is the page's title (never a client's name): escaped everywhere. */
export const STUDIO_NAME = 'Studio <b>"demo"</b> & friends';

export async function startViewerServer(
  fixture: ReadyMarkerFixture,
  mediaDir: string,
): Promise<ViewerServer> {
  const states: Record<string, ViewerState> = {
    [READY_SLUG]: {
      status: 'ready',
      marker: { portraitId: fixture.portraitId, version: fixture.version, ...fixture.size },
      video: { url: '/media/video.mp4' },
      posterUrl: '/media/poster.jpg',
    },
    // A wide video, and a database that got the dpi wrong: the page crops the video to cover
    // the print and trusts the marker's own size.
    [ODD_SLUG]: {
      status: 'ready',
      marker: {
        portraitId: fixture.portraitId,
        version: fixture.version,
        ...fixture.size,
        dpi: fixture.size.dpi / 2,
      },
      video: { url: '/media/wide.mp4' },
    },
    'still-processing': { status: 'processing' },
    'marker-failed': { status: 'failed' },
    'no-video-now': { status: 'no_video' },
    'lookup-explodes': { status: 'ready' } as unknown as ViewerState,
    'marker-missing': {
      status: 'ready',
      marker: { portraitId: fixture.portraitId, version: 'gone', ...fixture.size },
      video: { url: '/media/video.mp4' },
    },
  };
  const events: ViewerEvent[] = [];
  const views: string[] = [];
  const lookup: ViewerLookup = {
    async findBySlug(slug) {
      return states[slug] ?? null;
    },
    async recordView(visit) {
      views.push(`${visit.slug}:${visit.status}`);
    },
    async recordEvent(event) {
      events.push(event);
    },
  };

  const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ErrorBody);
  registerErrorHandling(app);
  // Same as src/app.ts: the viewer routes' own CSP must win over the strict default.
  await registerSecurityHeaders(app);
  const hits = new Map<string, number>();
  const errors: string[] = [];
  app.addHook('onResponse', async (request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (reply.statusCode >= 400) errors.push(`${reply.statusCode} ${request.method} ${url}`);
  });
  const assets = await ViewerAssets.load();
  await app.register(viewerAssetsRoutes(assets));
  await app.register(
    viewerRoutes(lookup, {
      assets: assets.urls,
      markers: fixture.files,
      studio: { name: STUDIO_NAME },
    }),
  );
  // The video with HTTP Range support, as the media module will serve it.
  await app.register(fastifyStatic, { root: mediaDir, prefix: '/media/' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, hits, errors, events, views };
}

export interface ViewerFixture {
  workDir: string;
  fixture: ReadyMarkerFixture;
  server: ViewerServer;
  /** Width / height of the print. */
  printAspect: number;
  close(): Promise<void>;
}

/** Marker, videos and poster in a fresh temporary folder, and the server on loopback. */
export async function startViewerFixture(): Promise<ViewerFixture> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'vertex-viewer-'));
  const fixture = await productMarker(workDir);
  const mediaDir = path.join(workDir, 'media');
  await mkdir(mediaDir);
  await buildTestVideo(path.join(mediaDir, 'video.mp4'));
  await buildTestVideo(path.join(mediaDir, 'wide.mp4'), { width: 640, height: 360, seconds: 3 });
  await buildPoster(path.join(mediaDir, 'video.mp4'), path.join(mediaDir, 'poster.jpg'));
  const server = await startViewerServer(fixture, mediaDir);
  return {
    workDir,
    fixture,
    server,
    printAspect: fixture.size.widthPx / fixture.size.heightPx,
    async close() {
      await server.app.close();
      if (process.env.KEEP_VIEWER_TMP === undefined) {
        await rm(workDir, { recursive: true, force: true });
      } else console.log(`kept camera files and screenshots in ${workDir}`);
    },
  };
}

/** A phone-shaped camera: the fixture's print tilted, centred, 45 % of the frame, sensor noise. */
export function tiltedPrintCamera(
  viewer: ViewerFixture,
  name: string,
  stream: { width: number; height: number },
): Promise<CameraFile> {
  return buildCameraFile({
    dir: viewer.workDir,
    name,
    ...stream,
    fps: 15,
    seconds: 2,
    print: viewer.fixture.print,
    corners: tiltedQuad(stream, viewer.printAspect, 0.45),
    noise: 6,
  });
}
