/**
 * Cost of `/metrics` (`npm run bench:metrics`), issue 11's acceptance: "the metrics endpoint
 * costs < 5 % of throughput on the public page". The real server (SQLite + local disk, jobs
 * not run, so no marker work competes) serves one portrait's public page `GET /p/:slug` to
 * autocannon (20 connections) in alternating phases of the same run:
 *   - baseline: nobody scrapes (the request-timing hook runs on every request all the same:
 *     there is no switch to turn metrics off, and none is added for the benchmark);
 *   - scraped: a loop fetches `/metrics` once a second for the whole phase (15× Prometheus's
 *     default 15 s interval), from loopback, which may scrape without a token by default.
 * The phases run in ABBA order (B S, S B, S B, B S) so that a linear drift of the machine
 * (page-view rows piling up, other work on it) weighs on both sides alike. Overhead =
 * (baseline − scraped) / baseline of the mean req/s; exits 1 when it is 5 % or more.
 * Results: bench/results/metrics.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { multipartBody } from '../test/support/multipart.js';
import { fixtureParts } from '../test/support/studio.js';
import { startServer } from './support/serve.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ADMIN = { username: 'bench', password: 'timing-probe-pw-1' };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PHASE_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
const WARMUP_SECONDS = 8;
const SCRAPE_INTERVAL_MS = 1000;
const LIMIT_PERCENT = 5;
const IDLE_SCRAPES = 30;
const CLOCK_TICKS = 100; // Linux USER_HZ

type Mode = 'baseline' | 'scraped';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15: indexes 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** One order through the API; its portrait stays `processing` (no job runner), page and all. */
async function createPortraitPage(base: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const body = multipartBody(
    { clientName: 'Bench', clientPhone: '+1 202 555 0103' },
    await fixtureParts(),
  );
  const accepted = await fetch(`${base}/api/orders`, {
    method: 'POST',
    headers: { ...body.headers, authorization: `Bearer ${accessToken}` },
    body: body.payload,
  });
  if (accepted.status !== 202)
    throw new Error(`order: ${accepted.status} ${await accepted.text()}`);
  const { portrait } = (await accepted.json()) as { portrait: { slug: string } };
  const page = await fetch(`${base}/p/${portrait.slug}`);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`public page: ${page.status} ${html.slice(0, 200)}`);
  return `/p/${portrait.slug}`;
}

interface Scrape {
  ms: number;
  bytes: number;
}

async function scrapeOnce(base: string): Promise<Scrape & { body: string }> {
  const started = performance.now();
  const response = await fetch(`${base}/metrics`);
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`/metrics: ${response.status} ${body}`);
  return { ms, bytes: Buffer.byteLength(body), body };
}

/** Scrapes `/metrics` every SCRAPE_INTERVAL_MS (fixed rate) until `stop()`. */
function startScraper(base: string) {
  const scrapes: Scrape[] = [];
  const state = { running: true };
  const running = () => state.running;
  const loop = (async () => {
    const started = performance.now();
    for (let n = 0; running(); n++) {
      const { ms, bytes } = await scrapeOnce(base);
      scrapes.push({ ms, bytes });
      const next = started + (n + 1) * SCRAPE_INTERVAL_MS;
      while (running() && performance.now() < next)
        await sleep(Math.min(50, next - performance.now()));
    }
  })().then(
    () => null,
    (error: unknown) => error,
  );
  return {
    async stop(): Promise<Scrape[]> {
      state.running = false;
      const error = await loop;
      if (error !== null)
        throw error instanceof Error
          ? error
          : new Error('/metrics scrape failed', { cause: error });
      return scrapes;
    },
  };
}

interface PhaseResult {
  mode: Mode;
  requests: number;
  seconds: number;
  reqPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** The server process's CPU time over the phase, per request answered. */
  serverCpuUsPerRequest: number;
  /** The server process's CPU time over the phase, in % of one core. */
  serverCpuPercent: number;
  scrapes: number;
}

async function load(url: string, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  if (result.errors > 0 || result.non2xx > 0 || result['2xx'] === 0)
    throw new Error(
      `${url}: ${result['2xx']} ok, ${result.non2xx} non-2xx, ${result.errors} errors (${result.timeouts} timeouts)`,
    );
  return result;
}

async function phase(
  pid: number,
  base: string,
  page: string,
  mode: Mode,
): Promise<{ result: PhaseResult; scrapes: Scrape[] }> {
  const cpuBefore = cpuSeconds(pid);
  const scraper = mode === 'scraped' ? startScraper(base) : null;
  const run = await load(`${base}${page}`, PHASE_SECONDS);
  const scrapes = (await scraper?.stop()) ?? [];
  const cpu = cpuSeconds(pid) - cpuBefore;
  const result: PhaseResult = {
    mode,
    requests: run.requests.total,
    seconds: round(run.duration, 2),
    reqPerSecond: round(run.requests.total / run.duration),
    latencyP50Ms: run.latency.p50,
    latencyP99Ms: run.latency.p99,
    latencyMaxMs: run.latency.max,
    serverCpuUsPerRequest: round((cpu / run.requests.total) * 1e6),
    serverCpuPercent: round((cpu / run.duration) * 100),
    scrapes: scrapes.length,
  };
  return { result, scrapes };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-bench-metrics-'));
const server = await startServer({
  DATA_DIR: dataDir,
  STORAGE_DRIVER: 'local',
  ADMIN_USERNAME: ADMIN.username,
  ADMIN_PASSWORD: ADMIN.password,
  JOBS_IN_PROCESS: 'false',
  PUBLIC_RATE_LIMIT: '1000000/minute',
});
let failed = false;
try {
  const base = server.baseUrl;
  const pid = server.child.pid ?? 0;
  const page = await createPortraitPage(base);
  const first = await scrapeOnce(base);
  if (!first.body.includes('route="/p/:slug"'))
    throw new Error('/metrics does not time the public page (no route="/p/:slug" series)');

  console.log(`warm-up ${WARMUP_SECONDS} s on ${page}`);
  await load(`${base}${page}`, WARMUP_SECONDS);

  // The cost of one scrape on its own: back-to-back scrapes on the idle server, its CPU time.
  const idle: Scrape[] = [];
  const idleCpuBefore = cpuSeconds(pid);
  for (let i = 0; i < IDLE_SCRAPES; i++) idle.push(await scrapeOnce(base));
  const scrapeCpuMs = ((cpuSeconds(pid) - idleCpuBefore) / IDLE_SCRAPES) * 1000;
  console.log(
    `idle: ${IDLE_SCRAPES} scrapes, ${round(scrapeCpuMs, 2)} ms server CPU and ` +
      `${round(median(idle.map((x) => x.ms)), 2)} ms wall each (median)`,
  );

  const orders: Mode[][] = Array.from({ length: ROUNDS }, (_, i) =>
    i % 4 === 0 || i % 4 === 3 ? ['baseline', 'scraped'] : ['scraped', 'baseline'],
  );
  const rounds: { baseline: PhaseResult; scraped: PhaseResult; overheadPercent: number }[] = [];
  const allScrapes: Scrape[] = [];
  for (const [i, order] of orders.entries()) {
    const byMode = new Map<Mode, PhaseResult>();
    for (const mode of order) {
      await sleep(500);
      const { result, scrapes } = await phase(pid, base, page, mode);
      allScrapes.push(...scrapes);
      byMode.set(mode, result);
      console.log(
        `round ${i + 1} ${mode.padEnd(8)} ${String(result.reqPerSecond).padStart(7)} req/s  ` +
          `p50 ${result.latencyP50Ms} ms  p99 ${result.latencyP99Ms} ms` +
          (mode === 'scraped' ? `  (${result.scrapes} scrapes)` : ''),
      );
    }
    const baseline = byMode.get('baseline');
    const scraped = byMode.get('scraped');
    if (baseline === undefined || scraped === undefined) throw new Error('a phase is missing');
    rounds.push({
      baseline,
      scraped,
      overheadPercent: round(
        ((baseline.reqPerSecond - scraped.reqPerSecond) / baseline.reqPerSecond) * 100,
        2,
      ),
    });
  }

  const side = (mode: Mode) => {
    const phases = rounds.map((r) => r[mode]);
    return {
      reqPerSecondMean: round(mean(phases.map((p) => p.reqPerSecond))),
      reqPerSecondPerRound: phases.map((p) => p.reqPerSecond),
      latencyP50MsMean: round(mean(phases.map((p) => p.latencyP50Ms)), 2),
      latencyP99MsMean: round(mean(phases.map((p) => p.latencyP99Ms)), 2),
      latencyMaxMs: Math.max(...phases.map((p) => p.latencyMaxMs)),
      serverCpuUsPerRequestMean: round(mean(phases.map((p) => p.serverCpuUsPerRequest))),
      serverCpuPercentMean: round(mean(phases.map((p) => p.serverCpuPercent))),
    };
  };
  const baseline = side('baseline');
  const scraped = side('scraped');
  const overheadPercent = round(
    ((baseline.reqPerSecondMean - scraped.reqPerSecondMean) / baseline.reqPerSecondMean) * 100,
    2,
  );
  const cpuOverheadPercent = round(
    ((scraped.serverCpuUsPerRequestMean - baseline.serverCpuUsPerRequestMean) /
      baseline.serverCpuUsPerRequestMean) *
      100,
    2,
  );
  // What one scrape a second takes from the CPU the server spends serving the page.
  const estimatedOverheadPercent = round(
    ((scrapeCpuMs / SCRAPE_INTERVAL_MS) * 100 * 100) / baseline.serverCpuPercentMean,
    2,
  );
  const scrapeMs = allScrapes.map((s) => s.ms);
  const scrapeBytes = allScrapes.map((s) => s.bytes);
  const verdict = overheadPercent < LIMIT_PERCENT ? 'PASS' : 'FAIL';
  failed = verdict === 'FAIL';

  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? '',
      node: process.version,
      loadAverage1m: round(os.loadavg()[0] ?? 0, 2),
    },
    settings: {
      server: 'vertex-ar serve (tsx, NODE_ENV=production, LOG_LEVEL=warn), SQLite, local disk',
      page: '/p/:slug of one portrait (processing: no job runner)',
      publicRateLimit: '1000000/minute',
      connections: CONNECTIONS,
      phaseSeconds: PHASE_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      rounds: ROUNDS,
      order: orders.map((o) => o.join(',')),
      scrapeIntervalMs: SCRAPE_INTERVAL_MS,
      limitPercent: LIMIT_PERCENT,
    },
    baseline,
    scraped,
    overheadPercent,
    overheadPercentPerRound: rounds.map((r) => r.overheadPercent),
    serverCpuPerRequestOverheadPercent: cpuOverheadPercent,
    /** Idle scrape CPU × 1 scrape/s, against the server's CPU use in the baseline phases. */
    estimatedOverheadPercentFromScrapeCpu: estimatedOverheadPercent,
    scrape: {
      count: allScrapes.length,
      medianMs: round(median(scrapeMs), 2),
      maxMs: round(Math.max(...scrapeMs), 2),
      bytesMedian: median(scrapeBytes),
      bytesMax: Math.max(...scrapeBytes),
      idle: {
        count: IDLE_SCRAPES,
        serverCpuMsEach: round(scrapeCpuMs, 2),
        wallMsMedian: round(median(idle.map((x) => x.ms)), 2),
        wallMsMax: round(Math.max(...idle.map((x) => x.ms)), 2),
        bytes: first.bytes,
      },
    },
    verdict,
    rounds,
  };
  const file = path.join(ROOT, 'bench/results/metrics.json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

  const cell = (value: number | string, width = 9) => String(value).padStart(width);
  const row = (label: string, s: typeof baseline) =>
    [
      label.padEnd(9),
      cell(s.reqPerSecondMean),
      cell(s.latencyP50MsMean),
      cell(s.latencyP99MsMean),
      cell(s.serverCpuUsPerRequestMean, 11),
      `   ${s.reqPerSecondPerRound.join(' / ')}`,
    ].join('');
  console.log('');
  console.log(
    `${'phase'.padEnd(9)}${cell('req/s')}${cell('p50 ms')}${cell('p99 ms')}${cell('cpu µs/req', 11)}   req/s per round`,
  );
  console.log(row('baseline', baseline));
  console.log(row('scraped', scraped));
  console.log(
    `/metrics   ${result.scrape.count} scrapes under load: median ${result.scrape.medianMs} ms, ` +
      `max ${result.scrape.maxMs} ms, ${result.scrape.bytesMedian} bytes; idle ${result.scrape.idle.wallMsMedian} ms, ${result.scrape.idle.serverCpuMsEach} ms server CPU each`,
  );
  console.log(
    `overhead   ${overheadPercent} % (per round: ${result.overheadPercentPerRound.join(', ')}) → ` +
      `${verdict} (limit ${LIMIT_PERCENT} %); server CPU per request ${cpuOverheadPercent} %`,
  );
  console.log(
    `estimate   ${estimatedOverheadPercent} % (idle scrape CPU × 1/s against the baseline's ` +
      `${baseline.serverCpuPercentMean} % of a core)`,
  );
  console.log(`written ${path.relative(ROOT, file)}`);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
if (failed) process.exit(1);
