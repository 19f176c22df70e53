import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ViewerAssets } from '../../src/modules/viewer/viewer-assets.routes.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { postOrder } from '../support/studio.js';

/**
 * Request budgets (issue 9): login, uploads, the API and the public page, per client IP or per
 * user, in memory or in a Redis shared by several instances. Real Redis at 127.0.0.1:6379; each
 * app gets its own key prefix so files and tests never share a counter.
 */

const REDIS = 'redis://127.0.0.1:6379';
const FILE_PREFIX = `vertex-test:rate-limit:${randomUUID()}:`;
const newPrefix = () => `${FILE_PREFIX}${randomUUID()}:`;

const opened: TestApp[] = [];
async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await createTestApp({
    // The production defaults (test/support/app.ts raises them for the other files);
    // the lockout (another layer, per account and IP) must not answer first here.
    AUTH_RATE_LIMIT: '5/minute',
    UPLOAD_RATE_LIMIT: '10/minute',
    GLOBAL_RATE_LIMIT: '100/minute',
    AUTH_MAX_ATTEMPTS: '1000',
    ...env,
  });
  opened.push(t);
  return t;
}

/**
 * One app per counter store, shared by the tests that use different clients (app start-up is
 * the slow part). Logins from 127.0.0.1 (`loginAs`) stay under the login budget.
 */
const sharedApps = new Map<string, Promise<TestApp>>();
function sharedApp(store: 'memory' | 'redis'): Promise<TestApp> {
  let shared = sharedApps.get(store);
  if (shared === undefined) {
    shared = app(store === 'redis' ? { REDIS_URL: REDIS, REDIS_KEY_PREFIX: newPrefix() } : {});
    sharedApps.set(store, shared);
  }
  return shared;
}

// App start-up is slow on a busy machine: in hooks (60 s), not in the tests (30 s).
beforeAll(async () => {
  await sharedApp('memory');
  await sharedApp('redis');
});

afterAll(async () => {
  await Promise.all(opened.map((t) => t.close()));
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`${FILE_PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const wrongLogin = (t: TestApp, extra: { remoteAddress?: string; xff?: string } = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'not-the-password' },
    ...(extra.remoteAddress === undefined ? {} : { remoteAddress: extra.remoteAddress }),
    headers: extra.xff === undefined ? {} : { 'x-forwarded-for': extra.xff },
  });

const statuses = (responses: LightMyRequestResponse[]) => responses.map((r) => r.statusCode);

function expectRateLimited(response: LightMyRequestResponse, limit: number): void {
  expect(response.statusCode, response.body).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers['ratelimit-limit']).toBe(String(limit));
  expect(response.headers['ratelimit-remaining']).toBe('0');
  expect(Number(response.headers['ratelimit-reset'])).toBe(retryAfter);
  expect(response.json()).toEqual({
    error: {
      code: 'rate_limited',
      message: expect.stringContaining('too many requests') as unknown,
      details: { retryAfterSeconds: retryAfter },
      requestId: expect.any(String) as unknown,
    },
  });
}

/**
 * `/ready` reports the limiter, and its status follows the database and storage checks alone
 * (the storage probe may time out on a starved machine: that is not what is tested here).
 */
async function expectReadiness(t: TestApp, rateLimit: Record<string, string>): Promise<void> {
  const ready = await t.app.inject({ url: '/ready' });
  const body = ready.json<{ checks: Record<string, string>; rateLimit: unknown }>();
  expect(body.rateLimit).toEqual(rateLimit);
  expect(Object.keys(body.checks).sort()).toEqual(['database', 'storage']);
  const allOk = Object.values(body.checks).every((check) => check === 'ok');
  expect(ready.statusCode, ready.body).toBe(allOk ? 200 : 503);
}

async function sequential<T>(count: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < count; index++) results.push(await make(index));
  return results;
}

describe.each(['memory', 'redis'] as const)('default budgets, counters in %s', (store) => {
  it('refuses the 6th login in a minute from one IP with 429 and Retry-After; other IPs log in', async () => {
    const t = await sharedApp(store);
    const { username, password } = await t.createUser('admin', 'admin');
    const remoteAddress = '192.0.2.1';
    const first = await sequential(5, () => wrongLogin(t, { remoteAddress }));
    expect(statuses(first)).toEqual([401, 401, 401, 401, 401]);
    expect(first.map((r) => r.headers['ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0']);
    expectRateLimited(await wrongLogin(t, { remoteAddress }), 5);
    // The right password changes nothing: the budget is spent before it is checked.
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress,
    });
    expect(right.statusCode).toBe(429);
    // Another client is not affected.
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: '198.51.100.20',
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('refuses the 101st API call in a minute per user; a colleague on the same IP still works', async () => {
    const t = await sharedApp(store);
    const alice = await t.loginAs('operator');
    const calls = await sequential(100, () =>
      t.app.inject({ url: '/api/auth/me', headers: bearer(alice) }),
    );
    expect(calls.every((r) => r.statusCode === 200)).toBe(true);
    expect(calls[0]?.headers['ratelimit-limit']).toBe('100');
    expect(calls[99]?.headers['ratelimit-remaining']).toBe('0');
    expectRateLimited(await t.app.inject({ url: '/api/clients', headers: bearer(alice) }), 100);
    const bob = await t.loginAs('operator');
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(bob) })).statusCode).toBe(
      200,
    );
  });

  it('counts refused credentials against the IP: the 101st anonymous API call is 429', async () => {
    const t = await sharedApp(store);
    const remoteAddress = '203.0.113.50';
    const anonymous = await sequential(100, (i) =>
      t.app.inject({
        url: '/api/clients',
        remoteAddress,
        headers: { authorization: `Bearer guess-${i}` },
      }),
    );
    expect(anonymous.every((r) => r.statusCode === 401)).toBe(true);
    expectRateLimited(await t.app.inject({ url: '/api/clients', remoteAddress }), 100);
  });
});

describe('upload budget', () => {
  it('gives a user 10 uploads a minute across the upload routes, on top of the API budget', async () => {
    const t = await sharedApp('memory');
    const operator = await t.loginAs('operator');
    const admin = await t.loginAs('admin');
    // The limiter answers before the body is read: a JSON body (refused later) is counted.
    const upload = (url: string, method: 'POST' | 'PUT', session: LoggedIn) =>
      t.app.inject({ method, url, headers: bearer(session), payload: { not: 'multipart' } });
    for (const [method, url, session] of [
      ['POST', '/api/orders', operator],
      ['POST', `/api/portraits/${randomUUID()}/videos`, operator],
      ['PUT', '/api/studio/logo', admin],
    ] as const) {
      const first = await upload(url, method, session);
      expect(first.statusCode, `${method} ${url}`).not.toBe(429);
      expect(first.headers['ratelimit-limit'], `${method} ${url}`).toBe('10');
    }
    // The operator has made two uploads so far.
    const orders = await sequential(8, () => upload('/api/orders', 'POST', operator));
    expect(orders.some((r) => r.statusCode === 429)).toBe(false);
    expectRateLimited(await upload('/api/orders', 'POST', operator), 10);
    // A read is not an upload.
    const list = await t.app.inject({ url: '/api/orders', headers: bearer(operator) });
    expect(list.statusCode).toBe(200);
    expect(list.headers['ratelimit-limit']).toBe('100');
  });
});

describe('RATE_LIMIT_ENABLED=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await app({ RATE_LIMIT_ENABLED: 'false' });
  });

  it('refuses neither the 6th login nor the 101st API call, and sends no RateLimit headers', async () => {
    const logins = await sequential(10, () => wrongLogin(t));
    expect(new Set(statuses(logins))).toEqual(new Set([401]));
    expect(logins[0]?.headers['ratelimit-limit']).toBeUndefined();
    const session = await t.loginAs('operator');
    const calls = await sequential(150, () =>
      t.app.inject({ url: '/api/auth/me', headers: bearer(session) }),
    );
    expect(new Set(statuses(calls))).toEqual(new Set([200]));
    await expectReadiness(t, { store: 'off', redis: 'disabled' });
  });
});

describe('the public AR page', () => {
  it('never limits a family of five phones on one Wi-Fi, and limits a scraper', async () => {
    const t = await sharedApp('redis');
    const operator = await t.loginAs('operator');
    const order = await postOrder(t, operator);
    expect(order.statusCode, order.body).toBe(202);
    const { portrait, video } = order.json<{
      portrait: { id: string; slug: string };
      video: { id: string };
    }>();
    const { urls } = await ViewerAssets.load();
    const assets = [
      urls.aframe,
      urls.arjs,
      urls.cameraParams,
      urls.arHost,
      urls.script,
      urls.style,
    ];

    // What one phone asks for when the page is opened: the page, its runtime and camera model,
    // the marker, the poster, the video in Range requests as it plays and loops, the beacons.
    const family = '192.0.2.10';
    const phoneVisit = (phone: number) => {
      const headers = { 'user-agent': `Phone ${phone}` };
      const get = (url: string, extra: Record<string, string> = {}) =>
        t.app.inject({ url, remoteAddress: family, headers: { ...headers, ...extra } });
      return [
        () => get(`/p/${portrait.slug}`),
        ...assets.map((url) => () => get(url)),
        () => get(`${urls.cameraParamsDir}640x480.dat`),
        ...['iset', 'fset', 'fset3'].map(
          (ext) => () => get(`/markers/${portrait.id}/1/portrait.${ext}`),
        ),
        () => get(`/media/videos/${video.id}/poster.jpg`),
        ...Array.from(
          { length: 24 },
          (_, i) => () =>
            get(`/media/videos/${video.id}/video.mp4`, { range: `bytes=${i * 65_536}-` }),
        ),
        ...['start', 'camera_ready', 'marker_found', 'video_playing', 'marker_lost'].map(
          (event) => () =>
            t.app.inject({
              method: 'POST',
              url: `/p/${portrait.slug}/events`,
              remoteAddress: family,
              headers,
              payload: { event, sinceLoadMs: 1000 },
            }),
        ),
      ];
    };
    // Five phones, each opening the page twice (a reload, a second print), all at once.
    const requests = [1, 2, 3, 4, 5].flatMap((phone) => [
      ...phoneVisit(phone),
      ...phoneVisit(phone),
    ]);
    const answers = await Promise.all(requests.map((send) => send()));
    expect(answers.length).toBeGreaterThan(400);
    expect(answers.filter((r) => r.statusCode === 429)).toEqual([]);
    expect(answers[0]?.statusCode).toBe(200);
    expect(answers.slice(1, 1 + assets.length).map((r) => r.statusCode)).toEqual(
      assets.map(() => 200),
    );

    // A scraper hammering the page from one address is stopped at 600 a minute.
    const scraper = '203.0.113.66';
    const scraped = await sequential(600, () =>
      t.app.inject({ url: `/p/${portrait.slug}`, remoteAddress: scraper }),
    );
    expect(scraped.filter((r) => r.statusCode === 429)).toEqual([]);
    expectRateLimited(
      await t.app.inject({ url: `/p/${portrait.slug}`, remoteAddress: scraper }),
      600,
    );
    // The family, behind its own address, is still served.
    const again = await t.app.inject({ url: `/p/${portrait.slug}`, remoteAddress: family });
    expect(again.statusCode).toBe(200);
  });
});

describe('client IP behind a proxy', () => {
  let behindProxy: TestApp;
  beforeAll(async () => {
    // The default inject peer is 127.0.0.1: the trusted reverse proxy.
    behindProxy = await app({ TRUST_PROXY: '127.0.0.1' });
  });

  it('ignores X-Forwarded-For from a peer not in TRUST_PROXY: spoofing it changes no key', async () => {
    const t = await sharedApp('memory');
    const remoteAddress = '203.0.113.9';
    const spoofed = await sequential(5, (i) =>
      wrongLogin(t, { remoteAddress, xff: `10.9.9.${i}` }),
    );
    expect(statuses(spoofed)).toEqual([401, 401, 401, 401, 401]);
    expectRateLimited(await wrongLogin(t, { remoteAddress, xff: '10.9.9.200' }), 5);
  });

  it('keys by X-Forwarded-For from a TRUST_PROXY peer: one client is limited, the next is not', async () => {
    const t = behindProxy;
    const a = await sequential(5, () => wrongLogin(t, { xff: '198.51.100.1' }));
    expect(statuses(a)).toEqual([401, 401, 401, 401, 401]);
    expectRateLimited(await wrongLogin(t, { xff: '198.51.100.1' }), 5);
    // A chain: the client is the address the trusted proxy saw.
    expectRateLimited(await wrongLogin(t, { xff: '10.0.0.7, 198.51.100.1' }), 5);
    expect((await wrongLogin(t, { xff: '198.51.100.2' })).statusCode).toBe(401);
  });
});

describe('two instances sharing one REDIS_URL', () => {
  const urls: string[] = [];

  // Two whole apps (own database each, one Redis and key prefix), each on its own port.
  beforeAll(async () => {
    const env = { REDIS_URL: REDIS, REDIS_KEY_PREFIX: newPrefix() };
    for (const t of [await app(env), await app(env)]) {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      urls.push(`http://127.0.0.1:${address.port}`);
    }
  });

  it('share one login budget: 3 logins on each from one IP, the 6th is refused', async () => {
    const [one, two] = urls;
    const answers: number[] = [];
    for (const base of [one, one, one, two, two, two]) {
      const response = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'not-the-password' }),
      });
      answers.push(response.status);
    }
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('Redis unreachable', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    await new Promise((resolve) => server.close(resolve));
    return address.port;
  }

  let t: TestApp;
  beforeAll(async () => {
    t = await app({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
  });

  it('serves the public page and the API, refuses login with 503, says so in /ready, warns once', async () => {
    const warn = vi.spyOn(t.app.log, 'warn');
    const { username, password } = await t.createUser('operator');

    const refused = await sequential(3, () =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } }),
    );
    for (const response of refused) {
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({
        error: {
          code: 'rate_limit_unavailable',
          message: expect.any(String) as unknown,
          requestId: expect.any(String) as unknown,
        },
      });
    }

    // An operator already signed in keeps working (the API budget fails open)…
    const result = await t.ctx.services.authService.login(username, password, {
      ip: '127.0.0.1',
      userAgent: null,
    });
    const session: LoggedIn = {
      accessToken: result.accessToken,
      csrfToken: result.csrfToken,
      cookie: `vertex_session=${result.accessToken}`,
      userId: result.user.id,
    };
    const order = await postOrder(t, session);
    expect(order.statusCode, order.body).toBe(202);
    // …and the buyer's page is served.
    const { slug } = order.json<{ portrait: { slug: string } }>().portrait;
    const page = await t.app.inject({ url: `/p/${slug}` });
    expect(page.statusCode).toBe(200);

    // Ready (a load balancer must not drop every instance because Redis blinked), and telling.
    await expectReadiness(t, { store: 'redis', redis: 'unreachable' });
    const outageWarnings = warn.mock.calls.filter((call) =>
      call.some((arg) => typeof arg === 'string' && arg.includes('rate-limit store unreachable')),
    );
    expect(outageWarnings).toHaveLength(1);
  });

  it('reports a reachable Redis as ok', async () => {
    await expectReadiness(await sharedApp('redis'), { store: 'redis', redis: 'ok' });
  });
});
