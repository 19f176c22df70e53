import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: object; requestBody?: object }>>;
}

describe('HTTP behaviour shared by every route', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let operator: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://studio.example', BODY_LIMIT_BYTES: '2048' });
    t.app.get('/test/boom', () => {
      throw new Error('database password is hunter2');
    });
    admin = await t.loginAs('admin');
    operator = await t.loginAs('operator');
  });
  afterAll(() => t.close());

  it('answers liveness, readiness and version', async () => {
    expect((await t.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', storage: 'ok' },
      rateLimit: { store: 'memory', redis: 'disabled' },
    });
    expect((await t.app.inject({ url: '/version' })).json()).toMatchObject({
      name: 'vertex-ar',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown,
    });
  });

  it('rejects malformed JSON, missing fields and unknown fields with 400 and a code', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a", ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'invalid_json' } });

    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'someone' },
    });
    expect(missing.statusCode).toBe(400);
    const body = missing.json<{ error: { code: string; details: { message: string }[] } }>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.some((d) => d.message.includes('password'))).toBe(true);

    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: { username: 'ab', password: 'short', role: 'king' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(
      wrongType.json<{ error: { details: unknown[] } }>().error.details.length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('rejects an oversize body with 413 and an unsupported content type with 415', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'x', password: 'y'.repeat(5000) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: { code: 'payload_too_large' } });

    const xml = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<login/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await t.app.inject({ url: '/api/does-not-exist?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });

  it('hides unexpected errors behind a 500 with a request id and no detail', async () => {
    const response = await t.app.inject({
      url: '/test/boom',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: { code: 'internal_error', message: 'internal server error', requestId: 'trace-123' },
    });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
    expect(response.headers['x-request-id']).toBe('trace-123');
  });

  it('checks roles per route: operators cannot administer users', async () => {
    const asOperator = await t.app.inject({ url: '/api/users', headers: bearer(operator) });
    expect(asOperator.statusCode).toBe(403);
    expect(asOperator.json()).toMatchObject({ error: { code: 'forbidden' } });
    const asAdmin = await t.app.inject({ url: '/api/users', headers: bearer(admin) });
    expect(asAdmin.statusCode).toBe(200);
    expect(
      asAdmin
        .json<{ items: { role: string }[] }>()
        .items.map((u) => u.role)
        .sort(),
    ).toEqual(['admin', 'operator']);
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/users', payload: {} });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lets an admin create users; duplicates are 409; the new user can log in', async () => {
    const payload = { username: 'Counter-1', password: 'long-enough-pw', role: 'operator' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      username: 'counter-1',
      role: 'operator',
      disabled: false,
    });
    expect(created.body).not.toContain('long-enough-pw');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'username_taken' } });
    await expect(t.login('counter-1', 'long-enough-pw')).resolves.toMatchObject({
      userId: expect.any(String) as unknown,
    });
  });

  it('offers no public registration route', async () => {
    for (const url of ['/api/auth/register', '/api/auth/signup', '/api/register']) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        payload: { username: 'x', password: 'y' },
      });
      expect(response.statusCode).toBe(404);
    }
  });

  it('sends security headers and CORS only for the configured origins', async () => {
    const response = await t.app.inject({
      url: '/health',
      headers: { origin: 'https://studio.example' },
    });
    // A JSON answer opened as a page runs nothing (test/api/security-headers.int.test.ts).
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['access-control-allow-origin']).toBe('https://studio.example');
    const foreign = await t.app.inject({
      url: '/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reports readiness failure naming the dependency', async () => {
    const broken = await createTestApp();
    try {
      await broken.ctx.database.destroy();
      const response = await broken.app.inject({ url: '/ready' });
      expect(response.statusCode).toBe(503);
      // Storage is not the point here (and its 3 s probe can time out on a starved CI machine).
      const body = response.json<{ status: string; checks: Record<string, string> }>();
      expect(body.status).toBe('not_ready');
      expect(body.checks.database).toBe('failed');
      expect(Object.keys(body.checks).sort()).toEqual(['database', 'storage']);
    } finally {
      await broken.close();
    }
  });

  it('documents every route in the generated OpenAPI document', async () => {
    const response = await t.app.inject({ url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<OpenApiDocument>();
    const expected: [string, string][] = [
      ['/health', 'get'],
      ['/ready', 'get'],
      ['/version', 'get'],
      ['/api/auth/login', 'post'],
      ['/api/auth/logout', 'post'],
      ['/api/auth/me', 'get'],
      ['/api/users', 'get'],
      ['/api/users', 'post'],
    ];
    for (const [route, method] of expected) {
      expect(doc.paths[route]?.[method]?.responses, `${method} ${route}`).toBeDefined();
    }
    expect(doc.paths['/api/auth/login']?.post?.requestBody).toBeDefined();
    const ui = await t.app.inject({ url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    writeFileSync(path.join(t.config.dataDir, 'openapi.json'), response.body);
  });
});
