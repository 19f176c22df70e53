import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_CSP } from '../../src/http/openapi.js';
import { DEFAULT_CSP } from '../../src/http/security-headers.js';
import { ADMIN_CSP } from '../../src/modules/admin-ui/admin-ui.routes.js';
import { STATIC_PAGE_CSP } from '../../src/modules/viewer/viewer.page.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { multipartBody } from '../support/multipart.js';
import { placeOrder } from '../support/studio.js';

/**
 * Browser protections per surface, as a browser receives them: the JSON API, the admin app,
 * the public page, the API docs and media. What every answer carries, and what each surface
 * chooses for itself (its CSP, camera, caching).
 */

type Headers = Record<string, string | string[] | number | undefined>;

/** What every answer carries, whatever it is. */
function expectBaseline(headers: Headers): void {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  // Plain HTTP: HSTS would be meaningless (and is not sent).
  expect(headers['strict-transport-security']).toBeUndefined();
}

describe('security headers per surface', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp({
      CORS_ORIGINS: 'https://studio.example',
      RATE_LIMIT_ENABLED: 'false',
    });
    admin = await t.loginAs('admin');
  });
  afterAll(() => t.close());

  it('API JSON (login, /me, lists, errors, health): no script, no camera, never cached', async () => {
    const answers = [
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'nobody', password: 'wrong-password' },
      }),
      await t.app.inject({ url: '/api/auth/me', headers: bearer(admin) }),
      await t.app.inject({ url: '/api/clients', headers: bearer(admin) }),
      await t.app.inject({ url: '/api/auth/me' }),
      await t.app.inject({ url: '/api/nothing-here' }),
      await t.app.inject({ url: '/health' }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([401, 200, 200, 401, 404, 200]);
    for (const response of answers) {
      expectBaseline(response.headers);
      expect(response.headers['content-security-policy']).toBe(DEFAULT_CSP);
      expect(response.headers['permissions-policy']).toContain('camera=()');
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('admin app: its own strict CSP, no camera, revalidated (not no-store) HTML', async () => {
    const response = await t.app.inject({ url: '/admin/' });
    expectBaseline(response.headers);
    if (response.statusCode === 503) return; // the admin app is not built in this checkout
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(ADMIN_CSP);
    expect(ADMIN_CSP).toContain("script-src 'self'");
    expect(ADMIN_CSP).toContain("style-src 'self'");
    expect(response.headers['permissions-policy']).toContain('camera=()');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('API docs: Swagger UI under a CSP without unsafe-inline', async () => {
    const response = await t.app.inject({ url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expectBaseline(response.headers);
    expect(response.headers['content-security-policy']).toBe(DOCS_CSP);
    const document = await t.app.inject({ url: '/api/docs/json' });
    expect(document.headers['cache-control']).toBe('no-store');
    const script = await t.app.inject({ url: '/api/docs/static/swagger-ui-bundle.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['cache-control']).not.toBe('no-store');
  });

  it('public page: no script on a page without AR, no camera, nothing framed', async () => {
    const { slug } = await placeOrder(t, admin, {
      clientName: 'Anna',
      clientPhone: '+7 999 000 11 22',
    });
    for (const url of [`/p/${slug}`, '/p/NoSuchSlug1']) {
      const response = await t.app.inject({ url });
      expect(response.headers['content-type']).toContain('text/html');
      expectBaseline(response.headers);
      expect(response.headers['content-security-policy']).toBe(STATIC_PAGE_CSP);
      expect(response.headers['permissions-policy']).toContain('camera=()');
    }
  });

  it('media keep their caching and get the baseline', async () => {
    const png = await sharp({
      create: { width: 300, height: 120, channels: 4, background: '#1d3a8a' },
    })
      .png()
      .toBuffer();
    const body = multipartBody(
      {},
      { logo: { content: png, filename: 'l.png', contentType: 'image/png' } },
    );
    const uploaded = await t.app.inject({
      method: 'PUT',
      url: '/api/studio/logo',
      headers: { ...body.headers, ...bearer(admin) },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const { url } = uploaded.json<{ logo: { url: string } }>().logo;
    const media = await t.app.inject({ url });
    expect(media.statusCode).toBe(200);
    expectBaseline(media.headers);
    expect(media.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(media.headers['content-security-policy']).toBe(DEFAULT_CSP);
  });

  it('CORS answers only the configured origins', async () => {
    const allowed = await t.app.inject({
      url: '/api/auth/me',
      headers: { origin: 'https://studio.example', ...bearer(admin) },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://studio.example');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');

    const other = await t.app.inject({
      url: '/api/auth/me',
      headers: { origin: 'https://evil.example', ...bearer(admin) },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/clients',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-csrf-token',
      },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('HTTPS (through TRUST_PROXY)', () => {
  let t: TestApp;
  let user: { username: string; password: string };

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', RATE_LIMIT_ENABLED: 'false' });
    user = await t.createUser('operator');
  });
  afterAll(() => t.close());

  const login = (proto: 'http' | 'https') =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': proto },
      payload: user,
    });

  it('sends HSTS and a Secure session cookie only over HTTPS', async () => {
    const secure = await login('https');
    expect(secure.statusCode).toBe(200);
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const secureCookie = String(secure.headers['set-cookie']);
    expect(secureCookie).toMatch(/vertex_session=/);
    expect(secureCookie).toMatch(/;\s*Secure/i);
    expect(secureCookie).toMatch(/;\s*HttpOnly/i);

    const plain = await login('http');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(String(plain.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);

    const page = await t.app.inject({ url: '/admin/', headers: { 'x-forwarded-proto': 'https' } });
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});
