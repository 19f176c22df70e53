import { parseArgs } from 'node:util';
import type { Config } from '../../config.js';
import { parseExposition, type Scrape } from '../../infra/metrics/exposition.js';
import { DEFAULT_GATE_LIMITS, evaluateGates, type GateLimits, type Probe } from './check-gates.js';

export const CHECK_USAGE = `  check [--url URL] [--metrics-url URL] [--json] [--max-error-rate PCT] [--max-p95-ms MS]
        [--min-free-percent PCT] [--max-db-percent PCT] [--max-backup-age-hours H]
        [--max-failed-jobs N]
                                 the production gates against a running installation
                                 (default URL http://127.0.0.1:PORT); exit 1 when one fails`;

const TIMEOUT_MS = 10_000;

const LIMIT_FLAGS: Record<string, keyof GateLimits> = {
  'max-error-rate': 'maxErrorRatePercent',
  'max-p95-ms': 'maxP95Ms',
  'min-free-percent': 'minFreePercent',
  'max-db-percent': 'maxDbPercent',
  'max-backup-age-hours': 'maxBackupAgeHours',
  'max-failed-jobs': 'maxFailedJobs',
};

interface CheckIo {
  say: (line: string) => void;
  usage: (message: string) => Error;
}

async function probe(url: string, headers: Record<string, string> = {}): Promise<Probe> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: null, body: error instanceof Error ? error.message : String(error) };
  }
}

function limitsFrom(values: Record<string, string | boolean | undefined>, io: CheckIo): GateLimits {
  const limits = { ...DEFAULT_GATE_LIMITS };
  for (const [flag, key] of Object.entries(LIMIT_FLAGS)) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < 0)
      throw io.usage(`--${flag} must be a number ≥ 0, got "${raw}"`);
    limits[key] = value;
  }
  return limits;
}

/** `vertex-ar check`: each gate with its figure on stdout; exit code 1 when one fails. */
export async function checkCommand(config: Config, args: string[], io: CheckIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        url: { type: 'string' },
        'metrics-url': { type: 'string' },
        json: { type: 'boolean' },
        ...Object.fromEntries(
          Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' as const }]),
        ),
      },
      strict: true,
    }));
  } catch (error) {
    throw io.usage(error instanceof Error ? error.message : String(error));
  }
  const base = (values.url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  const metricsUrl =
    values['metrics-url'] ??
    (config.metrics.port === undefined
      ? `${base}/metrics`
      : `${new URL(base).protocol}//${new URL(base).hostname}:${config.metrics.port}/metrics`);
  const limits = limitsFrom(values, io);

  const [health, ready, metrics] = await Promise.all([
    probe(`${base}/health`),
    probe(`${base}/ready`),
    probe(
      metricsUrl,
      config.metrics.token === undefined ? {} : { authorization: `Bearer ${config.metrics.token}` },
    ),
  ]);
  let scrape: Scrape | undefined;
  if (metrics.status === 200) scrape = parseExposition(metrics.body);
  else io.say(`/metrics answered ${metrics.status ?? 'nothing'}: ${metrics.body.slice(0, 200)}`);

  const results = evaluateGates({ health, ready, scrape, nowSeconds: Date.now() / 1000 }, limits);
  const ok = results.every((r) => r.ok);
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ ok, gates: results })}\n`);
  } else {
    const width = Math.max(...results.map((r) => r.gate.length));
    for (const r of results) {
      process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${r.gate.padEnd(width)}  ${r.detail}\n`);
    }
    const failed = results.filter((r) => !r.ok).map((r) => r.gate);
    process.stdout.write(ok ? 'All gates pass.\n' : `Failed: ${failed.join(', ')}\n`);
  }
  return ok ? 0 : 1;
}
