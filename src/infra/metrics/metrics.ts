import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS, RECENT_QUANTILES, createRecentWindow } from './recent-window.js';

/** The funnel of the public AR page, in the order a buyer goes through it. */
export const FUNNEL_STEPS = [
  'page_load',
  'start',
  'marker_loaded',
  'marker_found',
  'video_playing',
] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

const RECENT_WINDOW_SECONDS = 300;

/**
 * The process's instruments, in a registry of its own (tests build several apps in one
 * process). Names and labels are the contract of docs/operations.md, the dashboard and the
 * alert rules; gauges read from the database are added by `registerSystemGauges`.
 */
export function createMetrics(options: { version: string }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const recent = createRecentWindow({ windowSeconds: RECENT_WINDOW_SECONDS, slots: 10 });
  const registers = [registry];

  new Gauge({
    name: 'vertex_build_info',
    help: 'Always 1; the labels say which build runs.',
    labelNames: ['version'],
    registers,
  }).set({ version: options.version }, 1);

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  new Gauge({
    name: 'vertex_http_recent_requests',
    help: `Requests answered in the last ${RECENT_WINDOW_SECONDS} seconds, by status class.`,
    labelNames: ['status_class'],
    registers,
    collect() {
      this.reset();
      for (const [statusClass, n] of Object.entries(recent.summary().requests))
        this.set({ status_class: statusClass }, n);
    },
  });
  new Gauge({
    name: 'vertex_http_recent_duration_seconds',
    help: `Request latency quantiles over the last ${RECENT_WINDOW_SECONDS} seconds.`,
    labelNames: ['quantile'],
    registers,
    collect() {
      this.reset();
      const { quantiles } = recent.summary();
      if (quantiles === undefined) return;
      for (const q of RECENT_QUANTILES)
        this.set({ quantile: String(q) }, quantiles[String(q)] ?? 0);
    },
  });

  const jobDuration = new Histogram({
    name: 'vertex_job_duration_seconds',
    help: 'One attempt of a job, by kind and outcome, in the process that ran it.',
    labelNames: ['kind', 'outcome'],
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers,
  });
  const markerGeneration = new Histogram({
    name: 'vertex_marker_generation_seconds',
    help: 'Generating and self-testing one NFT marker.',
    buckets: [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600],
    registers,
  });
  const markerSelfTest = new Counter({
    name: 'vertex_marker_selftest_total',
    help: 'Marker self-tests (the generated marker found in a synthetic camera frame).',
    labelNames: ['result'],
    registers,
  });
  const funnel = new Counter({
    name: 'vertex_ar_funnel_events_total',
    help: 'The public AR page funnel: page load, Start, marker loaded, first found, video playing.',
    labelNames: ['step'],
    registers,
  });
  const startToFound = new Histogram({
    name: 'vertex_ar_start_to_found_seconds',
    help: 'From tapping Start to the first markerFound, as measured by the phone.',
    buckets: [1, 2, 3, 5, 8, 13, 20, 30, 60],
    registers,
  });
  const rateLimitRefusals = new Counter({
    name: 'vertex_rate_limit_refusals_total',
    help: 'Requests refused with 429, by rate-limit rule.',
    labelNames: ['rule'],
    registers,
  });
  const loginLockouts = new Counter({
    name: 'vertex_login_lockouts_total',
    help: 'Lockouts started after repeated failed logins, per (account, IP) or account-wide.',
    labelNames: ['scope'],
    registers,
  });
  const dbQueryErrors = new Counter({
    name: 'vertex_db_query_errors_total',
    help: 'Database queries that failed.',
    registers,
  });
  // Present from the first scrape: rate() and absent() see a 0, not a missing series.
  for (const step of FUNNEL_STEPS) funnel.inc({ step }, 0);
  for (const result of ['passed', 'failed']) markerSelfTest.inc({ result }, 0);

  return {
    registry,
    recent,
    observeRequest(method: string, route: string, status: number, seconds: number): void {
      const statusClass = `${Math.floor(status / 100)}xx`;
      httpDuration.observe({ method, route, status_class: statusClass }, seconds);
      recent.observe(statusClass, seconds);
    },
    observeJob(kind: string, outcome: 'done' | 'retry' | 'failed', seconds: number): void {
      jobDuration.observe({ kind, outcome }, seconds);
    },
    observeMarker(result: { seconds: number; selfTestPassed: boolean }): void {
      markerGeneration.observe(result.seconds);
      markerSelfTest.inc({ result: result.selfTestPassed ? 'passed' : 'failed' });
    },
    // Arrow functions: handed around as callbacks.
    funnelStep: (step: FunnelStep, sinceStartMs?: number): void => {
      funnel.inc({ step });
      if (step === 'marker_found' && sinceStartMs !== undefined)
        startToFound.observe(sinceStartMs / 1000);
    },
    rateLimitRefused: (rule: string): void => {
      rateLimitRefusals.inc({ rule });
    },
    loginLockedOut: (scope: 'ip' | 'account'): void => {
      loginLockouts.inc({ scope });
    },
    queryFailed: (): void => {
      dbQueryErrors.inc();
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
