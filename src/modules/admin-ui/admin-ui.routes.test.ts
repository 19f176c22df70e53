import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../http/errors.js';
import { ADMIN_CSP, adminUiRoutes, defaultAdminUiDir } from './admin-ui.routes.js';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/admin/assets/app-1a2b.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

async function appFor(dir: string): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandling(app);
  await app.register(adminUiRoutes({ dir }));
  return app;
}

describe('admin UI routes', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vertex-admin-ui-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), INDEX);
    await writeFile(path.join(dir, 'assets', 'app-1a2b.js'), SCRIPT);
    await writeFile(
      path.join(dir, 'assets', 'logo-9f8e.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
    );
    app = await appFor(dir);
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('redirects /admin to /admin/, keeping the query', async () => {
    const response = await app.inject('/admin?x=1');
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe('/admin/?x=1');
  });

  it('answers index.html for the app root and any client-side route, revalidated, with its CSP', async () => {
    for (const url of [
      '/admin/',
      '/admin/orders/0190a4b2-0000-7000-8000-000000000000',
      '/admin/login?next=%2F',
    ]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toBe(ADMIN_CSP);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.body).toBe(INDEX);
    }
    const first = await app.inject('/admin/');
    const etag = first.headers.etag;
    expect(typeof etag).toBe('string');
    const again = await app.inject({
      url: '/admin/clients',
      headers: { 'if-none-match': String(etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('the CSP allows only this origin and nothing inline', () => {
    expect(ADMIN_CSP).toContain("script-src 'self'");
    expect(ADMIN_CSP).toContain("style-src 'self'");
    expect(ADMIN_CSP).toContain("frame-ancestors 'none'");
    expect(ADMIN_CSP).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('serves hashed assets as immutable with an ETag, compressed when asked', async () => {
    const plain = await app.inject('/admin/assets/app-1a2b.js');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body).toBe(SCRIPT);
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    const gzipped = await app.inject({
      url: '/admin/assets/app-1a2b.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(SCRIPT);
    expect(gzipped.headers.etag).not.toBe(etag);

    const cached = await app.inject({
      url: '/admin/assets/app-1a2b.js',
      headers: { 'if-none-match': etag },
    });
    expect(cached.statusCode).toBe(304);

    const svg = await app.inject('/admin/assets/logo-9f8e.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['content-security-policy']).toBe(ADMIN_CSP);
  });

  it('answers 404 (not the app) for missing, hidden, nested or unknown-type assets', async () => {
    for (const url of [
      '/admin/assets/missing-0000.js',
      '/admin/assets/.hidden.js',
      '/admin/assets/sub/app-1a2b.js',
      '/admin/assets/%2e%2e%2findex.html',
      '/admin/assets/..%2f..%2fpackage.json',
      '/admin/assets/app-1a2b.exe',
    ]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('says clearly when the app is not built (503)', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'vertex-admin-ui-none-'));
    const bare = await appFor(empty);
    try {
      const response = await bare.inject('/admin/');
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toContain('The admin app is not built');
      expect(response.body).toContain('npm run build');
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('looks for the build in <repo>/dist/web/admin', () => {
    expect(defaultAdminUiDir()).toBe(
      path.resolve(import.meta.dirname, '../../../dist/web/admin') + path.sep,
    );
  });
});
