import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, registerErrorHandling } from '../../http/errors.js';
import { ViewerAssets, viewerAssetsRoutes } from './viewer-assets.routes.js';

describe('viewer assets', () => {
  let assets: ViewerAssets;
  const app = Fastify({ logger: false });

  beforeAll(async () => {
    assets = await ViewerAssets.load();
    app.addSchema(ErrorBody);
    registerErrorHandling(app);
    await app.register(viewerAssetsRoutes(assets));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the AR runtime under versioned, content-hashed paths', () => {
    expect(assets.urls).toEqual({
      aframe: '/static/vendor/aframe-1.8.0.min.js',
      // The patched build (arjs-patch.ts): its hash changes with the patch.
      arjs: expect.stringMatching(
        /^\/static\/vendor\/aframe-ar-nft-3\.4\.8-[0-9a-f]{16}\.js$/,
      ) as string,
      cameraParams: expect.stringMatching(
        /^\/static\/vendor\/camera_para-[0-9a-f]{16}\.dat$/,
      ) as string,
      cameraParamsDir: '/static/camera/v1/',
      arHost: expect.stringMatching(/^\/static\/viewer\/[0-9a-f]{16}\/ar-host\.js$/) as string,
      script: expect.stringMatching(/^\/static\/viewer\/[0-9a-f]{16}\/viewer\.js$/) as string,
      style: expect.stringMatching(/^\/static\/viewer\/[0-9a-f]{16}\/viewer\.css$/) as string,
    });
    const sizes = Object.fromEntries(assets.list().map((a) => [a.path, a.size]));
    expect(sizes[assets.urls.arjs]).toBeGreaterThan(1_000_000);
    expect(sizes[assets.urls.cameraParams]).toBe(176);
  });

  it('serves the patched AR.js: the page drives its layout, camera and tracker', async () => {
    const response = await app.inject({ url: assets.urls.arjs });
    expect(response.statusCode).toBe(200);
    for (const hook of ['onResize', 'cameraConstraints', 'trackNft', 'createController']) {
      expect(response.body).toContain(`window.__vertexAr.${hook}(`);
    }
    expect(response.body).not.toContain('copyElementSizeTo(document.body)');
  });

  it('generates a camera model per tracker frame size, and nothing else', async () => {
    const url = `${assets.urls.cameraParamsDir}208x370.dat`;
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.length).toBe(176);
    expect(response.rawPayload.readInt32BE(0)).toBe(208);
    expect(response.rawPayload.readInt32BE(4)).toBe(370);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await app.inject({
      url,
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    for (const bad of ['0x370.dat', '8x8.dat', '5000x300.dat', '208x370.png', '..%2F..%2Fetc']) {
      expect((await app.inject({ url: `${assets.urls.cameraParamsDir}${bad}` })).statusCode).toBe(
        404,
      );
    }
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
