import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { migrateToLatest } from '../../src/infra/db/migrate.js';
import { startErrorReporting, type ErrorReporter } from '../../src/infra/error-reporting/index.js';
import { createJobRunner, PermanentJobError } from '../../src/infra/queue/job-runner.js';
import { versionInfo } from '../../src/version.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  startSentryReceiver,
  type Answer,
  type SentryReceiver,
} from '../support/sentry-receiver.js';
import { createTestStorage, type TestStorage } from '../support/storage.js';

/**
 * Error reporting with the real Sentry SDK against a local receiver of its envelopes, through
 * real sockets (the SDK's request isolation hooks Node's HTTP server, which `inject` bypasses).
 * Sentry is a process-wide singleton: only this file starts it (once per mode, closed after).
 */

/** Secrets a request carries; none may reach Sentry. */
const SECRET = {
  cookie: `cookie-${randomBytes(8).toString('hex')}`,
  bearer: `bearer-${randomBytes(8).toString('hex')}`,
  csrf: `csrf-${randomBytes(8).toString('hex')}`,
  query: `query-${randomBytes(8).toString('hex')}`,
  body: `body-${randomBytes(8).toString('hex')}`,
  slug: `slug${randomBytes(8).toString('hex')}`,
};
/** The client's own address (loopback, but not the receiver's) and what proxies would add. */
const CLIENT_IP = '127.0.0.5';
const FORWARDED_IPS = ['198.51.100.23', '198.51.100.24'];

const credentialHeaders = {
  cookie: `vertex_session=${SECRET.cookie}`,
  authorization: `Bearer ${SECRET.bearer}`,
  'x-csrf-token': SECRET.csrf,
  'x-forwarded-for': FORWARDED_IPS[0] ?? '',
  'x-real-ip': FORWARDED_IPS[1] ?? '',
};

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// The default first: each mode starts (and closes) the process-wide SDK on its own.
describe.each([
  { mode: 'errors only (the default)', tracesSampleRate: undefined },
  { mode: 'errors and traces', tracesSampleRate: '1' },
])('error reporting to Sentry, $mode', ({ tracesSampleRate }) => {
  let receiver: SentryReceiver;
  let database: TestDatabase;
  let storage: TestStorage;
  let dataDir: string;
  let config: Config;
  let reporter: ErrorReporter;
  let ctx: AppContext;
  let app: FastifyInstance;
  let port: number;

  const send = (
    method: string,
    url: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> =>
    receiver.send({ port, method, path: url, localAddress: CLIENT_IP, ...options });

  /** Everything the SDK queued has reached the receiver and been counted. */
  async function flushed(): Promise<void> {
    expect(await reporter.flush(5000)).toBe(true);
    await receiver.sync();
  }

  beforeAll(async () => {
    receiver = await startSentryReceiver();
    database = await createTestDatabase();
    storage = await createTestStorage();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-sentry-'));
    config = {
      ...loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        BCRYPT_COST: '4',
        SESSION_SECRET: randomBytes(32).toString('hex'),
        JOBS_IN_PROCESS: 'false',
        SENTRY_DSN: `http://publickey@127.0.0.1:${receiver.port}/1`,
        SENTRY_ENVIRONMENT: 'sentry-test',
        // Traces must not leak what error events keep back either.
        ...(tracesSampleRate === undefined ? {} : { SENTRY_TRACES_SAMPLE_RATE: tracesSampleRate }),
        ...database.env,
      }),
      storage: storage.config,
    };
    reporter = await startErrorReporting(config.sentry);
    ctx = createContext(config, { storage: storage.storage, errorReporter: reporter });
    await migrateToLatest(ctx.database, config.database);
    app = await buildApp(ctx);
    // No real route fails on demand: this one stands for any unexpected fault in a handler.
    app.post('/__test/boom/:slug', async () => {
      throw new Error('boom: an unexpected fault');
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
    await ctx.close(); // closes Sentry too
    await storage.cleanup();
    await database.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    await receiver.close();
  });

  it('reports an unhandled route error once, tagged with the response request id', async () => {
    const answer = await send('POST', `/__test/boom/${SECRET.slug}?token=${SECRET.query}`, {
      headers: { ...credentialHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ password: SECRET.body }),
    });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({
      error: {
        code: 'internal_error',
        message: 'internal server error',
        requestId: answer.requestId,
      },
    });

    await flushed();
    const events = receiver.errors();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.tags).toMatchObject({
      request_id: answer.requestId,
      route: '/__test/boom/:slug',
      method: 'POST',
    });
    expect(event).toMatchObject({
      transaction: 'POST /__test/boom/:slug',
      environment: 'sentry-test',
      release: `vertex-ar@${versionInfo.version}`,
      request: { method: 'POST', url: '/__test/boom/:slug' },
    });
    expect(event?.exception?.values?.[0]?.value).toBe('boom: an unexpected fault');

    if (tracesSampleRate === undefined) return;
    // Its trace is named by the route as well (it ends just after the answer: wait for it).
    await waitFor(async () => {
      await flushed();
      return receiver.transactions().some((t) => t.transaction === 'POST /__test/boom/:slug');
    });
  });

  it('reports no client error (404, 400, 401)', async () => {
    const before = receiver.errors().length;
    const notFound = await send('GET', `/api/no-such-route/${SECRET.slug}`, {
      headers: credentialHeaders,
    });
    const badJson = await send('POST', '/api/auth/login', {
      headers: { ...credentialHeaders, 'content-type': 'application/json' },
      body: `{"username": "${SECRET.body}",`,
    });
    const unauthenticated = await send('GET', '/api/auth/me', { headers: credentialHeaders });
    expect([notFound.status, badJson.status, unauthenticated.status]).toEqual([404, 400, 401]);

    await flushed();
    expect(receiver.errors()).toHaveLength(before);
  });

  it('reports a job that failed for good, not one refused for bad input', async () => {
    const before = receiver.errors().length;
    const kind = {
      concurrency: 2,
      timeoutMs: 5_000,
      backoffMs: () => 1_000,
      parsePayload: (raw: unknown) => raw,
    };
    const runner = createJobRunner({
      queue: ctx.queue,
      kinds: { 'sentry-fault': kind, 'sentry-input': kind },
      handlers: {
        'sentry-fault': { run: () => Promise.reject(new Error('job fault: disk on fire')) },
        'sentry-input': { run: () => Promise.reject(new PermanentJobError('featureless photo')) },
      },
      logger: ctx.logger,
      pollMs: 20,
      // As createContext wires the real runner.
      reportFailure: (job, error) => {
        ctx.errorReporter.captureJobFailure(error, job);
      },
    });
    for (const name of ['sentry-fault', 'sentry-input']) {
      await ctx.queue.enqueue({
        kind: name,
        key: `${name}:1:1`,
        entityId: '1',
        payload: {},
        maxAttempts: 1,
      });
    }
    runner.start();
    try {
      for (const key of ['sentry-fault:1:1', 'sentry-input:1:1']) {
        await waitFor(async () => (await ctx.queue.findByKey(key))?.status === 'failed');
      }
    } finally {
      await runner.stop();
    }

    await flushed();
    const jobEvents = receiver.errors().slice(before);
    expect(jobEvents).toHaveLength(1);
    expect(jobEvents[0]?.tags).toMatchObject({ job_kind: 'sentry-fault' });
    expect(jobEvents[0]?.exception?.values?.[0]?.value).toBe('job fault: disk on fire');
  });

  it('sends no credential, client address, body, query string or slug', async () => {
    await flushed();
    const sent = receiver.text();
    expect(sent).toContain('boom: an unexpected fault');
    if (tracesSampleRate === undefined) expect(receiver.transactions()).toEqual([]);
    else expect(receiver.transactions().length).toBeGreaterThan(0);
    for (const [what, value] of Object.entries(SECRET)) {
      expect(sent.includes(value), `${what} was sent`).toBe(false);
    }
    for (const address of [CLIENT_IP, ...FORWARDED_IPS]) {
      expect(sent.includes(address), `${address} was sent`).toBe(false);
    }
  });
});
