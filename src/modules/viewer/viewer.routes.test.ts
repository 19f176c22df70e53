import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBody, registerErrorHandling } from '../../http/errors.js';
import { markerUrl, viewerRoutes } from './viewer.routes.js';
import type { MarkerFileSource, ViewerLookup, ViewerState } from './viewer.types.js';

const assets = {
  aframe: '/static/vendor/aframe-1.8.0.min.js',
  arjs: '/static/vendor/aframe-ar-nft-3.4.8.js',
  cameraParams: '/static/vendor/camera_para-0123456789abcdef.dat',
  script: '/static/viewer/0123456789abcdef/viewer.js',
  style: '/static/viewer/fedcba9876543210/viewer.css',
};

const fset3 = Buffer.from('fset3 '.repeat(2000));
const ready: ViewerState = {
  status: 'ready',
  title: 'Anna',
  marker: { portraitId: 'p1', version: 2, widthPx: 1000, heightPx: 1250, dpi: 200 },
  video: { url: '/media/videos/v1/video.mp4' },
};

interface Calls {
  lookups: string[];
  opened: string[];
}

async function build(
  lookup: Partial<ViewerLookup> = {},
  options: { streams?: boolean } = {},
): Promise<{ app: FastifyInstance; calls: Calls }> {
  const calls: Calls = { lookups: [], opened: [] };
  const markers: MarkerFileSource = {
    async open(portraitId, version, ext) {
      calls.opened.push(`${portraitId}/${version}/${ext}`);
      if (portraitId !== 'p1' || version !== '2') return null;
      const bytes = ext === 'fset3' ? fset3 : Buffer.from(`${ext} bytes`);
      return {
        body: options.streams === true ? Readable.from([bytes]) : bytes,
        size: bytes.length,
        etag: `"p1-2-${ext}"`,
      };
    },
  };
  const app = Fastify({ logger: false });
  app.addSchema(ErrorBody);
  registerErrorHandling(app);
  await app.register(
    viewerRoutes(
      {
        async findBySlug(slug) {
          calls.lookups.push(slug);
          return slug === 'anna' ? ready : null;
        },
        ...lookup,
      },
      { assets, markers },
    ),
  );
  await app.ready();
  return { app, calls };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('GET /p/:slug', () => {
  it('renders the ready page with the marker URL the marker route serves', async () => {
    const built = await build();
    app = built.app;
    const response = await app.inject({ url: '/p/anna' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-cache');
    expect(response.body).toContain(`url="${markerUrl('p1', 2)}"`);
    expect(markerUrl('p1', 2)).toBe('markers/p1/2/marker');
    expect(response.body).not.toContain('/events'); // no recordEvent: no beacon, no route
    expect((await app.inject({ method: 'POST', url: '/p/anna/events' })).statusCode).toBe(404);
  });

  it('does not ask the lookup about slugs that cannot exist', async () => {
    const built = await build();
    app = built.app;
    const response = await app.inject({ url: '/p/a.b' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(built.calls.lookups).toEqual([]);
  });

  it('a failing view recorder never breaks the page', async () => {
    const built = await build({
      recordView: () => {
        throw new Error('analytics down');
      },
    });
    app = built.app;
    expect((await app.inject({ url: '/p/anna' })).statusCode).toBe(200);
  });
});

describe('GET /markers/:portraitId/:version/marker.:ext', () => {
  it.each([false, true])('negotiates brotli, gzip, identity (stream body: %s)', async (streams) => {
    const built = await build({}, { streams });
    app = built.app;
    const url = '/markers/p1/2/marker.fset3';
    const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.etag).toBe('"p1-2-fset3-br"');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['x-decoded-length']).toBe(String(fset3.length));
    expect(brotliDecompressSync(br.rawPayload).equals(fset3)).toBe(true);
    const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gz.rawPayload).equals(fset3)).toBe(true);
    const plain = await app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-length']).toBe(String(fset3.length));
    expect(plain.rawPayload.equals(fset3)).toBe(true);
  });

  it('answers 304 for a known ETag, HEAD without a body', async () => {
    const built = await build({}, { streams: true });
    app = built.app;
    const url = '/markers/p1/2/marker.iset';
    const again = await app.inject({ url, headers: { 'if-none-match': '"p1-2-iset"' } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const head = await app.inject({ method: 'HEAD', url });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('404 for other files and unknown markers; 400 for impossible identifiers', async () => {
    const built = await build();
    app = built.app;
    expect((await app.inject({ url: '/markers/p1/2/marker.png' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/markers/p1/2/other.iset' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/markers/p1/3/marker.iset' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/markers/p%2E%2E/2/marker.iset' })).statusCode).toBe(400);
    expect(built.calls.opened).toEqual(['p1/3/iset']);
  });
});

describe('POST /p/:slug/events', () => {
  it('records a valid event and ignores recorder failures', async () => {
    const events: string[] = [];
    const built = await build({
      async recordEvent(event) {
        events.push(`${event.slug}:${event.event}:${event.sinceLoadMs}`);
        if (event.event === 'marker_lost') throw new Error('down');
      },
    });
    app = built.app;
    const current = built.app;
    const send = (payload: Record<string, unknown>) =>
      current.inject({ method: 'POST', url: '/p/anna/events', payload });
    expect((await send({ event: 'marker_found', sinceLoadMs: 2500 })).statusCode).toBe(204);
    expect((await send({ event: 'marker_lost', sinceLoadMs: 9000 })).statusCode).toBe(204);
    expect((await send({ event: 'hack', sinceLoadMs: 1 })).statusCode).toBe(400);
    expect((await send({ event: 'start', sinceLoadMs: -1 })).statusCode).toBe(400);
    // Fastify's Ajv strips unknown properties (removeAdditional) rather than refusing them.
    expect((await send({ event: 'start', sinceLoadMs: 1, extra: 1 })).statusCode).toBe(204);
    expect(events).toEqual(['anna:marker_found:2500', 'anna:marker_lost:9000', 'anna:start:1']);
    const page = await app.inject({ url: '/p/anna' });
    expect(page.body).toContain('"analyticsUrl":"/p/anna/events"');
  });
});
