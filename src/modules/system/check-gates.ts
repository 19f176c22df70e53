import { samplesOf, type Scrape } from '../../infra/metrics/exposition.js';

/** The production gates' limits (`vertex-ar check` flags; SPEC §9 defaults). */
export interface GateLimits {
  maxErrorRatePercent: number;
  maxP95Ms: number;
  minFreePercent: number;
  maxDbPercent: number;
  maxBackupAgeHours: number;
  maxFailedJobs: number;
}

export const DEFAULT_GATE_LIMITS: GateLimits = {
  maxErrorRatePercent: 1,
  maxP95Ms: 200,
  minFreePercent: 20,
  maxDbPercent: 80,
  maxBackupAgeHours: 26,
  maxFailedJobs: 0,
};

export interface GateResult {
  gate: string;
  ok: boolean;
  /** The figure and the limit, for a person. */
  detail: string;
}

export interface Probe {
  status: number | null;
  /** The body of /ready (checks that failed are named), or the network error. */
  body: string;
}

const sum = (scrape: Scrape, name: string, labels: Record<string, string> = {}) =>
  samplesOf(scrape, name, labels).reduce((total, s) => total + s.value, 0);
const pct = (value: number) => `${value.toFixed(2)} %`;

function probeGate(gate: string, probe: Probe): GateResult {
  const ok = probe.status === 200;
  return {
    gate,
    ok,
    detail: ok ? 'HTTP 200' : `${probe.status ?? 'no answer'}: ${probe.body.slice(0, 200)}`,
  };
}

/**
 * Judges a running installation from its probes and one scrape of its own metrics (the last
 * five minutes of requests, the database's queue, backup and disk figures).
 */
export function evaluateGates(
  input: { health: Probe; ready: Probe; scrape: Scrape | undefined; nowSeconds: number },
  limits: GateLimits,
): GateResult[] {
  const results = [probeGate('health', input.health), probeGate('readiness', input.ready)];
  const { scrape } = input;
  if (scrape === undefined) {
    results.push({ gate: 'metrics', ok: false, detail: 'could not read /metrics' });
    return results;
  }

  const total = sum(scrape, 'vertex_http_recent_requests');
  const errors = sum(scrape, 'vertex_http_recent_requests', { status_class: '5xx' });
  const errorRate = total === 0 ? 0 : (100 * errors) / total;
  results.push({
    gate: 'error rate',
    ok: errorRate < limits.maxErrorRatePercent,
    detail: `${pct(errorRate)} of ${total} requests in the last 5 min are 5xx (limit ${limits.maxErrorRatePercent} %)`,
  });

  const p95 = samplesOf(scrape, 'vertex_http_recent_duration_seconds', { quantile: '0.95' })[0];
  results.push(
    p95 === undefined
      ? { gate: 'p95 latency', ok: true, detail: 'no requests in the last 5 min' }
      : {
          gate: 'p95 latency',
          ok: p95.value * 1000 < limits.maxP95Ms,
          detail: `${(p95.value * 1000).toFixed(1)} ms over the last 5 min (limit ${limits.maxP95Ms} ms)`,
        },
  );

  for (const totalSample of samplesOf(scrape, 'vertex_disk_total_bytes')) {
    const volume = totalSample.labels.volume ?? '?';
    const free = sum(scrape, 'vertex_disk_free_bytes', { volume });
    const freePercent = totalSample.value === 0 ? 0 : (100 * free) / totalSample.value;
    results.push({
      gate: `free disk (${volume})`,
      ok: freePercent > limits.minFreePercent,
      detail: `${pct(freePercent)} free, ${(free / 2 ** 30).toFixed(1)} GiB (limit > ${limits.minFreePercent} %)`,
    });
  }

  const max = sum(scrape, 'vertex_db_pool_max_connections');
  const inUse = sum(scrape, 'vertex_db_pool_connections_in_use');
  const dbPercent = max === 0 ? 100 : (100 * inUse) / max;
  results.push({
    gate: 'database connections',
    ok: dbPercent < limits.maxDbPercent,
    detail: `${inUse} of ${max} in use, ${pct(dbPercent)} (limit < ${limits.maxDbPercent} %)`,
  });

  const lastBackup = samplesOf(scrape, 'vertex_backup_last_success_timestamp_seconds')[0];
  const ageHours =
    lastBackup === undefined ? undefined : (input.nowSeconds - lastBackup.value) / 3600;
  results.push({
    gate: 'last backup',
    ok: ageHours !== undefined && ageHours < limits.maxBackupAgeHours,
    detail:
      ageHours === undefined
        ? 'no successful backup yet'
        : `${ageHours.toFixed(1)} h ago (limit ${limits.maxBackupAgeHours} h)`,
  });

  const failed = sum(scrape, 'vertex_jobs_failed_recent');
  results.push({
    gate: 'failed jobs',
    ok: failed <= limits.maxFailedJobs,
    detail: `${failed} failed for good in the last 24 h (limit ${limits.maxFailedJobs})`,
  });
  return results;
}
