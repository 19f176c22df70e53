import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer } from '../../src/metrics-server.js';
import type { SystemStatus } from '../../src/modules/system/system-status.service.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { catalogueNames, parseExposition, scrapeApp, valueOf } from '../support/metrics.js';

const TOKEN = 'test-metrics-token-0123456789';

describe('/metrics access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('answers 401 without the token (even from loopback) and 200 with it', async () => {
    const without = await t.app.inject({ url: '/metrics' });
    expect(without.statusCode).toBe(401);
    expect(without.json()).toMatchObject({ error: { code: 'metrics_unauthorized' } });
    expect(without.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    const wrong = await t.app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);

    const withToken = await t.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(withToken.body).toContain('# TYPE http_request_duration_seconds histogram');
  });
});

describe('/metrics without a token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is open to loopback only, and not through an untrusted proxy', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    const remote = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(401);
    // nginx on the same host relays the internet from 127.0.0.1: that is not "loopback".
    const relayed = await t.app.inject({
      url: '/metrics',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(relayed.statusCode).toBe(401);
  });

  it('labels requests by route template only: no slug, no raw path', async () => {
    const used: string[] = [];
    for (let i = 0; i < 100; i++) {
      const probe = `/probe-${randomBytes(6).toString('hex')}/x${i}`;
      used.push(probe);
      expect((await t.app.inject({ url: probe })).statusCode).toBe(404);
      const slug = `s${randomBytes(6).toString('hex')}`;
      used.push(slug);
      const page = await t.app.inject({ url: `/p/${slug}` });
      expect(page.statusCode).toBe(404);
    }
    const scrape = await scrapeApp(t.app);
    const values = new Set(scrape.samples.flatMap((s) => Object.values(s.labels)));
    for (const value of values) {
      for (const raw of used) expect(value.includes(raw), `${value} holds ${raw}`).toBe(false);
    }
    const routes = new Set(
      scrape.samples
        .filter((s) => s.name === 'http_request_duration_seconds_count')
        .map((s) => s.labels.route),
    );
    expect(routes).toContain('/p/:slug');
    expect(routes).toContain('unmatched');
    expect(
      valueOf(scrape, 'http_request_duration_seconds_count', {
        route: 'unmatched',
        status_class: '4xx',
      }),
    ).toBe(100);
    expect(
      valueOf(scrape, 'http_request_duration_seconds_count', {
        route: '/p/:slug',
        status_class: '4xx',
      }),
    ).toBe(100);
    expect(
      valueOf(scrape, 'vertex_http_recent_requests', { status_class: '4xx' }),
    ).toBeGreaterThanOrEqual(200);
    expect(
      valueOf(scrape, 'vertex_http_recent_duration_seconds', { quantile: '0.95' }),
    ).toBeGreaterThan(0);
  });

  it('exports every metric of the docs/operations.md catalogue, and nothing of ours outside it', async () => {
    const exported = new Set(
      [...(await scrapeApp(t.app)).types.keys()].filter((name) => /^(vertex_|http_)/.test(name)),
    );
    const catalogue = new Set(
      [...catalogueNames()].filter((name) => /^(vertex_|http_)/.test(name)),
    );
    expect([...exported].filter((name) => !catalogue.has(name))).toEqual([]);
    // The backup gauges appear once a backup exists; their counter always does.
    const absentUntilABackup = /^vertex_backup_last_/;
    expect(
      [...catalogue].filter((name) => !exported.has(name) && !absentUntilABackup.test(name)),
    ).toEqual([]);
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(catalogueNames()).toContain(name);
      expect((await scrapeApp(t.app)).types.has(name)).toBe(true);
    }
  });

  it('reports the job queue, storage, disk, database and query errors from this installation', async () => {
    const queued = await t.ctx.queue.enqueue({
      kind: 'metrics.test',
      key: `metrics.test:${randomBytes(4).toString('hex')}:1`,
      entityId: 'none',
      payload: {},
      maxAttempts: 1,
    });
    expect(queued).not.toBeNull();
    t.clock.advance(90_000);
    await expect(sql`select * from no_such_table`.execute(t.ctx.database.db)).rejects.toThrow();

    const scrape = await scrapeApp(t.app);
    expect(valueOf(scrape, 'vertex_jobs', { kind: 'metrics.test', status: 'queued' })).toBe(1);
    expect(
      valueOf(scrape, 'vertex_jobs_oldest_queued_age_seconds', { kind: 'metrics.test' }),
    ).toBeCloseTo(90, 0);
    expect(valueOf(scrape, 'vertex_db_query_errors_total')).toBeGreaterThanOrEqual(1);
    expect(valueOf(scrape, 'vertex_db_pool_max_connections')).toBeGreaterThanOrEqual(1);
    expect(valueOf(scrape, 'vertex_dependency_up', { dependency: 'database' })).toBe(1);
    expect(valueOf(scrape, 'vertex_dependency_up', { dependency: 'storage' })).toBe(1);
    const total = valueOf(scrape, 'vertex_disk_total_bytes', { volume: 'data' });
    const free = valueOf(scrape, 'vertex_disk_free_bytes', { volume: 'data' });
    expect(total).toBeGreaterThan(0);
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThanOrEqual(total);
    expect(valueOf(scrape, 'vertex_storage_bytes', { kind: 'originals' })).toBe(0);
    expect(valueOf(scrape, 'vertex_build_info')).toBe(1);
  });
});

describe('GET /api/system/status', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('shows admins the same figures /metrics reports; operators get 403', async () => {
    const operator = await t.loginAs('operator');
    const refused = await t.app.inject({ url: '/api/system/status', headers: bearer(operator) });
    expect(refused.statusCode).toBe(403);

    const admin = await t.loginAs('admin');
    t.clock.advance(5000);
    const response = await t.app.inject({ url: '/api/system/status', headers: bearer(admin) });
    expect(response.statusCode, response.body).toBe(200);
    const status = response.json<SystemStatus>();
    const scrape = await scrapeApp(t.app);
    expect(status.uptimeSeconds).toBeGreaterThanOrEqual(5);
    expect(status.database).toMatchObject({ dialect: t.ctx.database.dialect, ok: true });
    expect(status.storage.ok).toBe(true);
    expect(status.database.pool.max).toBe(valueOf(scrape, 'vertex_db_pool_max_connections'));
    for (const { volume, totalBytes } of status.disk) {
      expect(totalBytes).toBe(valueOf(scrape, 'vertex_disk_total_bytes', { volume }));
    }
    expect(status.disk.map((d) => d.volume)).toContain('data');
    for (const [kind, bytes] of Object.entries(status.storageBytes)) {
      expect(bytes).toBe(valueOf(scrape, 'vertex_storage_bytes', { kind }));
    }
    expect(status.jobs.map((j) => j.kind)).toContain('marker.generate');
    for (const job of status.jobs) {
      expect(job.queued).toBe(valueOf(scrape, 'vertex_jobs', { kind: job.kind, status: 'queued' }));
      expect(job.failedRecent).toBe(
        valueOf(scrape, 'vertex_jobs_failed_recent', { kind: job.kind }),
      );
    }
    expect(status.backup).toEqual({
      lastSuccessAt: null,
      lastDurationSeconds: null,
      lastSizeBytes: null,
      lastFailureAt: null,
    });
    expect(status.markers).toEqual({
      sampled: 0,
      medianSeconds: null,
      maxSeconds: null,
      selfTestPassed: 0,
    });
    // Never a server path or a secret.
    expect(response.body).not.toContain(t.config.dataDir);
  });
});

describe('/metrics counts refusals and lockouts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_RATE_LIMIT: '3/minute', AUTH_MAX_ATTEMPTS: '2' });
  });
  afterAll(() => t.close());

  it('429s by budget and login lockouts', async () => {
    for (let i = 0; i < 5; i++) await t.app.inject({ url: '/p/nobody-here' });
    const { username } = await t.createUser('operator');
    for (let i = 0; i < 3; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'wrong-password-here' },
      });
    }
    const scrape = await scrapeApp(t.app);
    expect(valueOf(scrape, 'vertex_rate_limit_refusals_total', { rule: 'public' })).toBe(2);
    expect(valueOf(scrape, 'vertex_login_lockouts_total', { scope: 'ip' })).toBe(1);
  });
});

describe('METRICS_PORT', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_PORT: '9', HOST: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('moves /metrics off the main port onto its own listener', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    const server = await startMetricsServer(t.ctx, 0);
    try {
      const address = server.server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      expect(response.status).toBe(200);
      expect(parseExposition(await response.text()).types.get('vertex_jobs')).toBe('gauge');
    } finally {
      await server.close();
    }
  });
});
