import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../infra/metrics/exposition.js';
import { DEFAULT_GATE_LIMITS, evaluateGates } from './check-gates.js';

const NOW = 1_800_000_000;
const ok = { status: 200, body: '{"status":"ready"}' };

function metrics(overrides: Record<string, string> = {}): string {
  const lines = {
    requests:
      'vertex_http_recent_requests{status_class="2xx"} 990\nvertex_http_recent_requests{status_class="5xx"} 5',
    p95: 'vertex_http_recent_duration_seconds{quantile="0.95"} 0.042',
    disk: 'vertex_disk_total_bytes{volume="data"} 1000\nvertex_disk_free_bytes{volume="data"} 500',
    pool: 'vertex_db_pool_max_connections 10\nvertex_db_pool_connections_in_use 2',
    backup: `vertex_backup_last_success_timestamp_seconds ${NOW - 3600}`,
    failed: 'vertex_jobs_failed_recent{kind="marker.generate"} 0',
    ...overrides,
  };
  return Object.values(lines).join('\n');
}

const judge = (text: string, limits = DEFAULT_GATE_LIMITS) =>
  evaluateGates({ health: ok, ready: ok, scrape: parseExposition(text), nowSeconds: NOW }, limits);
const failing = (text: string, limits = DEFAULT_GATE_LIMITS) =>
  judge(text, limits)
    .filter((r) => !r.ok)
    .map((r) => r.gate);

describe('the production gates', () => {
  it('pass on a healthy installation, each with its figure', () => {
    const results = judge(metrics());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.gate)).toEqual([
      'health',
      'readiness',
      'error rate',
      'p95 latency',
      'free disk (data)',
      'database connections',
      'last backup',
      'failed jobs',
    ]);
    expect(results.find((r) => r.gate === 'error rate')?.detail).toContain(
      '0.50 % of 995 requests',
    );
    expect(results.find((r) => r.gate === 'p95 latency')?.detail).toContain('42.0 ms');
  });

  it('fail one by one, naming the gate', () => {
    expect(
      failing(
        metrics({
          requests:
            'vertex_http_recent_requests{status_class="2xx"} 98\nvertex_http_recent_requests{status_class="5xx"} 2',
        }),
      ),
    ).toEqual(['error rate']);
    expect(
      failing(metrics({ p95: 'vertex_http_recent_duration_seconds{quantile="0.95"} 0.2' })),
    ).toEqual(['p95 latency']);
    expect(
      failing(
        metrics({
          disk: 'vertex_disk_total_bytes{volume="data"} 1000\nvertex_disk_free_bytes{volume="data"} 200',
        }),
      ),
    ).toEqual(['free disk (data)']);
    expect(
      failing(
        metrics({ pool: 'vertex_db_pool_max_connections 10\nvertex_db_pool_connections_in_use 8' }),
      ),
    ).toEqual(['database connections']);
    expect(
      failing(
        metrics({ backup: `vertex_backup_last_success_timestamp_seconds ${NOW - 27 * 3600}` }),
      ),
    ).toEqual(['last backup']);
    expect(failing(metrics({ backup: '' }))).toEqual(['last backup']);
    expect(
      failing(metrics({ failed: 'vertex_jobs_failed_recent{kind="video.process"} 1' })),
    ).toEqual(['failed jobs']);
    expect(failing(metrics(), { ...DEFAULT_GATE_LIMITS, minFreePercent: 60 })).toEqual([
      'free disk (data)',
    ]);
  });

  it('no traffic is no error and no latency, not a failure', () => {
    const results = judge(metrics({ requests: '', p95: '' }));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.find((r) => r.gate === 'p95 latency')?.detail).toBe(
      'no requests in the last 5 min',
    );
  });

  it('an unanswered probe or unreadable metrics fail', () => {
    const down = { status: null, body: 'connect ECONNREFUSED' };
    const results = evaluateGates(
      {
        health: down,
        ready: { status: 503, body: '{"checks":{"database":"failed"}}' },
        scrape: undefined,
        nowSeconds: NOW,
      },
      DEFAULT_GATE_LIMITS,
    );
    expect(results.map((r) => [r.gate, r.ok])).toEqual([
      ['health', false],
      ['readiness', false],
      ['metrics', false],
    ]);
    expect(results[1]?.detail).toContain('database');
  });
});
