import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createTestApp, type TestApp } from '../support/app.js';
import { stopProcessGroup, trackProcessGroup } from '../support/process-group.js';

/**
 * The monitoring chain, live (issue 11): the app on a loopback port with METRICS_TOKEN set → a
 * real Prometheus (Debian 2.42) scraping it every second with the token from a credentials file
 * → one of the shipped alert rules → a real Alertmanager → a webhook receiver inside this test.
 *
 * The rule is `VertexHighErrorRate` from deploy/prometheus/alerts.yml, copied with its real
 * expression, its real 1 % threshold, labels and annotations; only `for: 5m` becomes `for: 1s`
 * (so the pending → firing step still happens). The condition is produced for real: a test-only
 * route that throws answers 500 through the app's own error handler, and the app's own request
 * metrics count it, next to successful `/health` requests.
 *
 * Resolution is not checked: the expression's 5-minute rate keeps the 5xx share above 1 % for
 * minutes after the failures stop.
 *
 * Everything listens on 127.0.0.1 only (Alertmanager's cluster listener is switched off with an
 * empty `--cluster.listen-address=`); both processes run in their own process group and are
 * stopped (SIGTERM, then SIGKILL) in afterAll.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const ALERTS = path.join(ROOT, 'deploy/prometheus/alerts.yml');
const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const ALERT = 'VertexHighErrorRate';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One rule of the shipped alerts.yml, as Prometheus will read it. */
function shippedRule(name: string): AlertRule {
  const doc = parse(readFileSync(ALERTS, 'utf8')) as { groups?: { rules?: AlertRule[] }[] };
  const rule = (doc.groups ?? [])
    .flatMap((group) => group.rules ?? [])
    .find((r) => r.alert === name);
  if (rule === undefined) throw new Error(`${name} is not in ${ALERTS}`);
  return rule;
}

/** A rendered annotation must be its template with every `{{ … }}` filled in. */
function templatePattern(template: string): RegExp {
  const literal = template
    .split(/\{\{.*?\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('.+?')}$`, 's');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

// --- the two processes ------------------------------------------------------------------------

interface Daemon {
  name: string;
  child: ChildProcess;
  base: string;
  /** The end of its log (both log to stderr). */
  log(): string;
}

async function startDaemon(name: string, bin: string, args: string[], port: number) {
  const child = trackProcessGroup(
    spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true }),
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-6000);
  });
  const daemon: Daemon = { name, child, base: `http://127.0.0.1:${port}`, log: () => log };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${daemon.base}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return daemon;
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stopDaemon(daemon);
      throw new Error(`${name} did not become ready (exit ${child.exitCode}):\n${log}`);
    }
    await sleep(100);
  }
}

async function stopDaemon(daemon: Daemon | undefined): Promise<void> {
  if (daemon === undefined) return;
  await stopProcessGroup(daemon.child, { termMs: 5000, killMs: 2000 });
}

// --- what the webhook receives (Alertmanager's webhook payload, version 4) ------------------

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  generatorURL: string;
}

interface WebhookPayload {
  version: string;
  status: string;
  receiver: string;
  alerts: WebhookAlert[];
}

interface ActiveTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastError: string;
}

describe('the alert chain: app → Prometheus → Alertmanager → webhook', () => {
  const token = randomBytes(24).toString('hex');
  const rule = shippedRule(ALERT);
  const received: WebhookPayload[] = [];
  let t: TestApp | undefined;
  let baseUrl: string;
  let workDir: string | undefined;
  let webhook: http.Server | undefined;
  let prometheus: Daemon | undefined;
  let alertmanager: Daemon | undefined;

  async function promApi(url: string): Promise<unknown> {
    if (prometheus === undefined) return 'no Prometheus';
    try {
      const response = await fetch(`${prometheus.base}${url}`);
      return await response.json();
    } catch (error) {
      return String(error);
    }
  }

  /** Prometheus's scrape targets (/api/v1/targets); none when it does not answer. */
  async function activeTargets(): Promise<ActiveTarget[]> {
    const answer = (await promApi('/api/v1/targets')) as {
      data?: { activeTargets?: ActiveTarget[] };
    };
    return answer.data?.activeTargets ?? [];
  }

  /** What to read when an assertion fails. */
  async function diagnostics(): Promise<string> {
    return [
      `webhook received: ${JSON.stringify(received, null, 1)}`,
      `/api/v1/alerts: ${JSON.stringify(await promApi('/api/v1/alerts'))}`,
      `targets: ${JSON.stringify(
        (await activeTargets()).map(({ labels, scrapeUrl, health, lastError }) => ({
          labels,
          scrapeUrl,
          health,
          lastError,
        })),
      )}`,
      `--- prometheus log (tail) ---\n${prometheus?.log() ?? ''}`,
      `--- alertmanager log (tail) ---\n${alertmanager?.log() ?? ''}`,
    ].join('\n');
  }

  beforeAll(async () => {
    for (const bin of [PROMETHEUS, ALERTMANAGER]) {
      if (!existsSync(bin)) {
        throw new Error(
          `${bin} is missing: apt-get install -y --no-install-recommends prometheus prometheus-alertmanager`,
        );
      }
    }
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vertex-alert-chain-'));

    t = await createTestApp({ METRICS_TOKEN: token });
    // Test-only: fails like any unexpected fault does, through the app's error handler.
    t.app.get('/__test/fail', async () => {
      throw new Error('forced failure (alert chain test)');
    });
    baseUrl = await t.listen();

    const hook = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/alerts') {
          response.writeHead(404).end();
          return;
        }
        try {
          received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload);
          response.writeHead(200).end();
        } catch {
          response.writeHead(400).end();
        }
      });
    });
    webhook = hook;
    await new Promise<void>((resolve, reject) => {
      hook.once('error', reject);
      hook.listen(0, '127.0.0.1', resolve);
    });
    const hookAddress = hook.address();
    if (hookAddress === null || typeof hookAddress === 'string') throw new Error('no port');

    const amPort = await freePort();
    let promPort = await freePort();
    while (promPort === amPort) promPort = await freePort();
    const at = (file: string) => path.join(workDir ?? '', file);

    await writeFile(at('metrics.token'), `${token}\n`, { mode: 0o600 });
    await writeFile(
      at('rules.yml'),
      stringify({ groups: [{ name: 'vertex-ar-chain-test', rules: [{ ...rule, for: '1s' }] }] }),
    );
    await writeFile(
      at('prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
        rule_files: [at('rules.yml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        scrape_configs: [
          {
            job_name: 'vertex-ar',
            metrics_path: '/metrics',
            authorization: { type: 'Bearer', credentials_file: at('metrics.token') },
            static_configs: [{ targets: [new URL(baseUrl).host] }],
          },
        ],
      }),
    );
    await writeFile(
      at('alertmanager.yml'),
      stringify({
        route: {
          receiver: 'test-webhook',
          group_by: ['alertname', 'job'],
          group_wait: '0s',
          group_interval: '1s',
          repeat_interval: '1h',
        },
        receivers: [
          {
            name: 'test-webhook',
            webhook_configs: [
              { url: `http://127.0.0.1:${hookAddress.port}/alerts`, send_resolved: true },
            ],
          },
        ],
      }),
    );

    alertmanager = await startDaemon(
      'alertmanager',
      ALERTMANAGER,
      [
        `--config.file=${at('alertmanager.yml')}`,
        `--storage.path=${at('alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ],
      amPort,
    );
    prometheus = await startDaemon(
      'prometheus',
      PROMETHEUS,
      [
        `--config.file=${at('prometheus.yml')}`,
        `--storage.tsdb.path=${at('prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        `--web.external-url=http://127.0.0.1:${promPort}/`,
      ],
      promPort,
    );
  }, 90_000);

  afterAll(async () => {
    try {
      await stopDaemon(prometheus);
      await stopDaemon(alertmanager);
      if (webhook !== undefined) {
        const server = webhook;
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await t?.close();
    } finally {
      if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('tests the shipped rule: its real expression and 1 % threshold, only `for:` shortened', () => {
    expect(rule.for).toBe('5m');
    expect(rule.expr).toContain('status_class="5xx"');
    expect(rule.expr.trim()).toMatch(/\) > 0\.01$/);
    expect(rule.labels.severity).toBe('critical');
  });

  it(
    'Prometheus scrapes the app with the bearer token (target up)',
    { timeout: 60_000 },
    async () => {
      // Without the token the app refuses, even from loopback: an "up" target used the file.
      const metricsStatus = async (headers: Record<string, string>) => {
        const response = await fetch(`${baseUrl}/metrics`, { headers });
        await response.arrayBuffer();
        return response.status;
      };
      expect(await metricsStatus({})).toBe(401);
      expect(await metricsStatus({ authorization: 'Bearer wrong-token-0123456789' })).toBe(401);
      expect(await metricsStatus({ authorization: `Bearer ${token}` })).toBe(200);

      let target: ActiveTarget | undefined;
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        target = (await activeTargets()).find((x) => x.labels.job === 'vertex-ar');
        if (target?.health === 'up') break;
        await sleep(250);
      }
      expect(target?.health, await diagnostics()).toBe('up');
      expect(target?.scrapeUrl).toBe(`${baseUrl}/metrics`);
      expect(target?.lastError).toBe('');
    },
  );

  it(`5xx answers make ${ALERT} reach the webhook, firing`, { timeout: 90_000 }, async () => {
    // Traffic: three successful requests and one 500 every 100 ms (25 % 5xx, the rule's
    // threshold is 1 %), until the alert arrives.
    const control = { stop: false };
    const statuses = new Map<number, number>();
    const traffic = (async () => {
      while (!control.stop) {
        const urls = ['/health', '/health', '/health', '/__test/fail'];
        await Promise.all(
          urls.map(async (url) => {
            try {
              const response = await fetch(`${baseUrl}${url}`);
              await response.arrayBuffer();
              statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            } catch {
              statuses.set(0, (statuses.get(0) ?? 0) + 1);
            }
          }),
        );
        await sleep(100);
      }
    })();

    const started = Date.now();
    const firing = () =>
      received
        .filter((payload) => payload.status === 'firing')
        .flatMap((payload) => payload.alerts)
        .find((alert) => alert.status === 'firing' && alert.labels.alertname === ALERT);
    try {
      while (firing() === undefined && Date.now() - started < 75_000) await sleep(200);
    } finally {
      control.stop = true;
      await traffic;
    }

    const context = `statuses ${JSON.stringify([...statuses])}\n${await diagnostics()}`;
    expect(statuses.get(500), context).toBeGreaterThan(0);
    expect(statuses.get(200), context).toBeGreaterThan(0);
    const alert = firing();
    expect(alert, context).toBeDefined();
    if (alert === undefined) return;

    const payload = received.find((p) => p.alerts.includes(alert));
    expect(payload?.version).toBe('4');
    expect(payload?.receiver).toBe('test-webhook');
    expect(payload?.status).toBe('firing');
    // `sum by (job)`: the rule's labels and the job, nothing else.
    expect(alert.labels, context).toEqual({
      alertname: ALERT,
      job: 'vertex-ar',
      severity: rule.labels.severity,
    });
    expect(Object.keys(alert.annotations).sort()).toEqual(Object.keys(rule.annotations).sort());
    for (const [key, template] of Object.entries(rule.annotations)) {
      expect(alert.annotations[key], `${key}\n${context}`).toMatch(templatePattern(template));
      expect(alert.annotations[key]).not.toContain('{{');
    }
    // `{{ $value | humanizePercentage }}` of a real 5xx share (25 % sent, other requests too).
    expect(alert.annotations.summary).toMatch(
      /^Vertex AR answers \d+(\.\d+)?% of requests with 5xx$/,
    );
    expect(alert.generatorURL.startsWith(`${prometheus?.base}/graph`), alert.generatorURL).toBe(
      true,
    );
  });
});
