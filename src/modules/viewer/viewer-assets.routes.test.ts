import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ViewerAssets, viewerAssetsRoutes } from './viewer-assets.routes.js';

describe('viewer assets', () => {
  let assets: ViewerAssets;
  const app = Fastify({ logger: false });

  beforeAll(async () => {
    assets = await ViewerAssets.load();
    await app.register(viewerAssetsRoutes(assets));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the AR runtime under versioned, content-hashed paths', () => {
    expect(assets.urls).toEqual({
      aframe: '/static/vendor/aframe-1.8.0.min.js',
      arjs: '/static/vendor/aframe-ar-nft-3.4.8.js',
      cameraParams: expect.stringMatching(
        /^\/static\/vendor\/camera_para-[0-9a-f]{16}\.dat$/,
      ) as string,
      script: expect.stringMatching(/^\/static\/viewer\/[0-9a-f]{16}\/viewer\.js$/) as string,
      style: expect.stringMatching(/^\/static\/viewer\/[0-9a-f]{16}\/viewer\.css$/) as string,
    });
    const sizes = Object.fromEntries(assets.list().map((a) => [a.path, a.size]));
    expect(sizes[assets.urls.arjs]).toBeGreaterThan(1_000_000);
    expect(sizes[assets.urls.cameraParams]).toBe(176);
  });

  it('never points the browser at a source map it does not serve', async () => {
    const response = await app.inject({ url: assets.urls.aframe });
    expect(/\/\/# sourceMappingURL=\S+\s*$/.test(response.body)).toBe(false);
    expect(response.body.endsWith('\n')).toBe(true);
  });

  it('gzip at once, brotli once its slow compression is done, identity on request', async () => {
    const url = assets.urls.script;
    const first = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(first.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(first.headers.vary).toBe('Accept-Encoding');
    const plain = gunzipSync(first.rawPayload);

    let br = first;
    for (let i = 0; i < 100 && br.headers['content-encoding'] !== 'br'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
    }
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(plain)).toBe(true);
    expect(br.headers.etag).not.toBe(first.headers.etag);

    const identity = await app.inject({ url });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.rawPayload.equals(plain)).toBe(true);
  });

  it('answers 304 to a known ETag of any representation', async () => {
    const url = assets.urls.style;
    const first = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    const etag = String(first.headers.etag);
    const again = await app.inject({ url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('does not compress the tiny binary camera file', async () => {
    const response = await app.inject({
      url: assets.urls.cameraParams,
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.rawPayload).toHaveLength(176);
  });
});
