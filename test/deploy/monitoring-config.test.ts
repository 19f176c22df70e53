import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  catalogueEntryFor,
  exportedSeriesNames,
  exprProblems,
  metricNames,
  parseMetricCatalogue,
  tokenizePromql,
  vectorSelectors,
} from '../support/promql-names.js';

/**
 * The monitoring files in deploy/ (issue 11): the alert rules and their unit tests run through
 * the real promtool, the example Prometheus and Alertmanager configurations through promtool
 * and amtool, and the Grafana dashboard's queries are valid PromQL that read only metrics of
 * the catalogue in docs/operations.md (as do the alert rules).
 */

const root = path.resolve(import.meta.dirname, '../..');
const at = (file: string) => path.join(root, file);
const ALERTS = 'deploy/prometheus/alerts.yml';
const ALERT_TESTS = 'deploy/prometheus/alerts.test.yml';
const PROMETHEUS_CONFIG = 'deploy/prometheus/prometheus.yml';
const ALERTMANAGER_CONFIG = 'deploy/prometheus/alertmanager.yml';
const DASHBOARD = 'deploy/grafana/dashboards/vertex-ar.json';
const DASHBOARD_PROVIDER = 'deploy/grafana/provisioning/dashboards/vertex-ar.yml';
const DATASOURCE = 'deploy/grafana/provisioning/datasources/prometheus.yml';

const scratch = mkdtempSync(path.join(tmpdir(), 'vertex-monitoring-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const hasCommand = (command: string) =>
  spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;

/** Runs a tool and fails with its own output (or how to install it) unless it exits 0. */
function expectToolPasses(command: string, args: string[], cwd = root): string {
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 110_000 });
  if (run.error !== undefined) {
    throw new Error(
      `${command} could not run (${run.error.message}); it comes with Debian's prometheus / ` +
        'prometheus-alertmanager packages (scripts/test.sh installs them)',
    );
  }
  const output = `${run.stdout}${run.stderr}`;
  expect(run.status, `${command} ${args.join(' ')}:\n${output}`).toBe(0);
  return output;
}

// --- the few YAML facts the checks need (the files are ours; promtool validates them) ------

interface AlertRule {
  alert: string;
  expr: string;
  block: string;
}

/** The alert rules of a rule file: name, expression and the rule's text. */
function alertRules(yaml: string): AlertRule[] {
  const starts = [...yaml.matchAll(/^(\s*)- alert:\s*(\S+)\s*$/gm)];
  return starts.map((start, n) => {
    const block = yaml.slice(start.index, starts[n + 1]?.index ?? yaml.length);
    return { alert: start[2] ?? '', expr: yamlValue(block, 'expr'), block };
  });
}

/** The value of `key:` in a block: a plain or quoted scalar, or a `|` / `>` block scalar. */
function yamlValue(block: string, key: string): string {
  const lines = block.split('\n');
  const at = lines.findIndex((line) => new RegExp(`^\\s*${key}:`).test(line));
  if (at === -1) throw new Error(`no ${key}: in\n${block}`);
  const line = lines[at] ?? '';
  const indent = line.search(/\S/);
  const inline = line.slice(line.indexOf(':') + 1).trim();
  if (/^[|>][-+]?$/.test(inline)) {
    const body: string[] = [];
    for (const next of lines.slice(at + 1)) {
      if (next.trim() !== '' && next.search(/\S/) <= indent) break;
      body.push(next);
    }
    return body.join('\n').trim();
  }
  if (inline.startsWith("'")) return inline.slice(1, -1).replace(/''/g, "'");
  if (inline.startsWith('"')) return JSON.parse(inline) as string;
  return inline;
}

/** For each alert name, whether the unit tests have a case where it fires and one where it is silent. */
function alertTestCases(yaml: string): Map<string, { fires: number; silent: number }> {
  const cases = new Map<string, { fires: number; silent: number }>();
  const lines = yaml.split('\n');
  let alertname: string | undefined;
  lines.forEach((line, i) => {
    const name = /^\s*alertname:\s*(\S+)\s*$/.exec(line);
    if (name !== null) alertname = name[1];
    const expected = /^\s*exp_alerts:\s*(.*)$/.exec(line);
    if (expected === null || alertname === undefined) return;
    const entry = cases.get(alertname) ?? { fires: 0, silent: 0 };
    const nextItem = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    if (expected[1]?.trim() === '[]') entry.silent += 1;
    else if (nextItem?.trim().startsWith('- exp_labels:') === true) entry.fires += 1;
    cases.set(alertname, entry);
    alertname = undefined;
  });
  return cases;
}

// --- Grafana --------------------------------------------------------------------------------

interface Target {
  expr?: string;
  refId?: string;
}
interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  gridPos?: { h: number; w: number; x: number; y: number };
}
interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels: Panel[];
  templating?: { list: { name: string; type: string; query?: unknown; allValue?: string }[] };
}

const dashboard = JSON.parse(readFileSync(at(DASHBOARD), 'utf8')) as Dashboard;

/** Every panel, rows' nested panels included. */
const allPanels = (panels: Panel[]): Panel[] =>
  panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
const queryPanels = allPanels(dashboard.panels).filter((panel) => panel.type !== 'row');

/**
 * A Grafana query as plain PromQL: interval variables become 5m, any other variable `.*`
 * (the dashboard uses them only inside regex matchers: instance=~"$instance").
 */
function grafanaToPromql(expr: string): string {
  return expr
    .replace(
      /\$(?:__rate_interval|__interval|__range)\b|\$\{(?:__rate_interval|__interval|__range)\}/g,
      '5m',
    )
    .replace(
      /\$\{[A-Za-z0-9_]+(?::[a-z]+)?\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z0-9_]+\]\]/g,
      '.*',
    );
}

const dashboardExprs = queryPanels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({
    where: `panel "${panel.title ?? panel.id}" ${target.refId ?? ''}`,
    expr: grafanaToPromql(target.expr ?? ''),
  })),
);

/** `label_values(up{job="vertex-ar"}, instance)` → the selector inside. */
const variableExprs = (dashboard.templating?.list ?? [])
  .filter((variable) => variable.type === 'query')
  .map((variable) => {
    const query = variable.query as string | { query?: string } | undefined;
    const text = typeof query === 'string' ? query : (query?.query ?? '');
    const inner = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(text.trim());
    return { where: `variable ${variable.name}`, expr: inner?.[1] ?? text };
  });

const catalogue = parseMetricCatalogue(readFileSync(at('docs/operations.md'), 'utf8'));
const rules = alertRules(readFileSync(at(ALERTS), 'utf8'));

describe('Prometheus alert rules', () => {
  it('pass promtool check rules', () => {
    const output = expectToolPasses('promtool', ['check', 'rules', ALERTS]);
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  // The 26-hour cases evaluate every rule each minute of 27 hours: seconds of CPU.
  it('pass their promtool unit tests', { timeout: 120_000 }, () => {
    expectToolPasses('promtool', ['test', 'rules', ALERT_TESTS]);
  });

  it('each have a unit test where they fire and one where they stay silent', () => {
    const cases = alertTestCases(readFileSync(at(ALERT_TESTS), 'utf8'));
    expect(rules.length).toBeGreaterThanOrEqual(10);
    const missing = rules.flatMap(({ alert }) => {
      const found = cases.get(alert) ?? { fires: 0, silent: 0 };
      return [
        ...(found.fires === 0 ? [`${alert}: no case where it fires`] : []),
        ...(found.silent === 0 ? [`${alert}: no case where it stays silent`] : []),
      ];
    });
    expect(missing).toEqual([]);
    const unknown = [...cases.keys()].filter((name) => !rules.some((r) => r.alert === name));
    expect(unknown, 'tests for alerts that do not exist').toEqual([]);
  });

  it('each carry a severity and English and Russian annotations', () => {
    for (const { alert, block } of rules) {
      expect(yamlValue(block, 'severity'), alert).toMatch(/^(critical|warning|info)$/);
      expect(yamlValue(block, 'summary'), alert).not.toBe('');
      expect(yamlValue(block, 'description'), alert).not.toBe('');
      expect(yamlValue(block, 'summary_ru'), alert).toMatch(/[А-Яа-яЁё]/);
    }
  });

  it('read only catalogued metrics, labels and label values', () => {
    const problems = rules.flatMap(({ alert, expr }) =>
      exprProblems(catalogue, expr).map((problem) => `${alert}: ${problem}`),
    );
    expect(problems).toEqual([]);
    expect(rules.every(({ expr }) => metricNames(expr).length > 0)).toBe(true);
  });
});

describe('example configurations', () => {
  it('prometheus.yml passes promtool check config (with its rule file beside it)', () => {
    const config = readFileSync(at(PROMETHEUS_CONFIG), 'utf8');
    const tokenLine = /^(\s*credentials_file:\s*)(\S+)\s*$/m;
    expect(config, 'the scrape sends a bearer token read from a file').toMatch(tokenLine);
    expect(config).toMatch(/^\s*- job_name:\s*vertex-ar\s*$/m);
    const dir = mkdtempSync(path.join(scratch, 'prometheus-'));
    // promtool checks that the token file exists: point the copy at one in the temp dir.
    writeFileSync(path.join(dir, 'vertex-ar-metrics.token'), 'test-token\n', { mode: 0o600 });
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      config.replace(tokenLine, `$1${path.join(dir, 'vertex-ar-metrics.token')}`),
    );
    copyFileSync(at(ALERTS), path.join(dir, 'alerts.yml'));
    const output = expectToolPasses('promtool', ['check', 'config', 'prometheus.yml'], dir);
    expect(output).toContain('SUCCESS: 1 rule files found');
  });

  it.skipIf(!hasCommand('amtool'))('alertmanager.yml passes amtool check-config', () => {
    expectToolPasses('amtool', ['check-config', ALERTMANAGER_CONFIG]);
  });

  it('Grafana provisioning points at the dashboard folder and the Prometheus data source', () => {
    const provider = readFileSync(at(DASHBOARD_PROVIDER), 'utf8');
    expect(provider).toMatch(/^apiVersion:\s*1\s*$/m);
    expect(provider).toMatch(/^\s*type:\s*file\s*$/m);
    expect(provider).toMatch(/^\s*path:\s*\S+/m);
    const datasource = readFileSync(at(DATASOURCE), 'utf8');
    expect(datasource).toMatch(/^apiVersion:\s*1\s*$/m);
    expect(datasource).toMatch(/^\s*type:\s*prometheus\s*$/m);
    expect(datasource).toMatch(/^\s*uid:\s*prometheus\s*$/m);
  });
});

describe('Grafana dashboard', () => {
  it('is a dashboard with a fixed uid, on the Prometheus data source variable', () => {
    expect(dashboard.uid).toBe('vertex-ar');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const variable = dashboard.templating?.list.find((v) => v.name === 'DS_PROMETHEUS');
    expect(variable?.type).toBe('datasource');
    expect(variable?.query).toBe('prometheus');
    for (const panel of queryPanels) {
      expect(panel.datasource?.uid, `panel "${panel.title}"`).toBe('${DS_PROMETHEUS}');
    }
  });

  it('has panels with unique ids inside the 24-column grid, each with queries', () => {
    const ids = allPanels(dashboard.panels).map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(queryPanels.length).toBeGreaterThanOrEqual(20);
    for (const panel of allPanels(dashboard.panels)) {
      const grid = panel.gridPos;
      expect(grid, `panel "${panel.title}"`).toBeDefined();
      if (grid !== undefined)
        expect(grid.x + grid.w, `panel "${panel.title}"`).toBeLessThanOrEqual(24);
    }
    for (const panel of queryPanels) {
      const exprs = (panel.targets ?? []).map((t) => t.expr ?? '');
      expect(exprs.length, `panel "${panel.title}" has no targets`).toBeGreaterThan(0);
      expect(
        exprs.every((e) => e.trim() !== ''),
        `panel "${panel.title}": empty expr`,
      ).toBe(true);
    }
  });

  it('has the panels the operations guide describes', () => {
    const titles = queryPanels.map((panel) => panel.title);
    for (const title of [
      'Traffic by route',
      'Latency p50 / p95 / p99',
      'Error rate',
      'CPU',
      'Memory',
      'Event-loop lag',
      'Jobs by kind and status',
      'Oldest queued job age',
      'Job duration p95',
      'Marker generation time',
      'Marker self-tests',
      'AR funnel',
      'Start → marker found',
      'Free disk',
      'Database pool',
      'Age of last successful backup',
      'Last backup size',
      'Last backup duration',
      'Rate-limit refusals',
      'Login lockouts',
    ]) {
      expect(titles).toContain(title);
    }
  });

  it('shows the AR funnel steps in order', () => {
    const funnel = queryPanels.find((panel) => panel.title === 'AR funnel');
    const stepsOf = (funnel?.targets ?? []).flatMap((t) =>
      vectorSelectors(grafanaToPromql(t.expr ?? '')).flatMap((s) =>
        s.matchers.filter((m) => m.label === 'step').map((m) => m.value),
      ),
    );
    expect(funnel?.type).toBe('bargauge');
    expect(stepsOf).toEqual([
      'page_load',
      'start',
      'marker_loaded',
      'marker_found',
      'video_playing',
    ]);
  });

  it('has queries that are valid PromQL (promtool check rules on them as recording rules)', () => {
    const all = [...dashboardExprs, ...variableExprs];
    const file = path.join(scratch, 'dashboard-queries.yml');
    const recording = all
      .map(
        ({ where, expr }, n) =>
          `      # ${where.replace(/\n/g, ' ')}\n      - record: dashboard:query_${n}\n        expr: ${JSON.stringify(expr)}\n`,
      )
      .join('');
    writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${recording}`);
    const output = expectToolPasses('promtool', ['check', 'rules', file]);
    expect(output).toContain(`SUCCESS: ${all.length} rules found`);
  });

  it('reads only catalogued metrics, labels and label values', () => {
    const problems = [...dashboardExprs, ...variableExprs].flatMap(({ where, expr }) =>
      exprProblems(catalogue, expr).map((problem) => `${where}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });
});

describe('PromQL metric names and the catalogue (test/support/promql-names.ts)', () => {
  it('finds metric names, skipping functions, keywords, label names, durations and strings', () => {
    expect(
      metricNames(`
        histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{job="x", route!~"/media/.*"}[5m])))
        / on (job) group_left (version) max without (instance) (b offset 1h)
        > bool 0.5 and count_values("le", c) or sum(d_total) by (job) unless absent({__name__="e"})
        + label_replace(f, "dst", "$1", "src", "(.*)") * -Inf - g @ start() + h[1h:5m] # i
      `),
    ).toEqual(['a_bucket', 'b', 'c', 'd_total', 'e', 'f', 'g', 'h']);
    expect(
      metricNames('time() - max(vertex_backup_last_success_timestamp_seconds) > 26 * 3600'),
    ).toEqual(['vertex_backup_last_success_timestamp_seconds']);
    expect(tokenizePromql('x[5m] offset 1h30m > 1e3').map((t) => t.kind)).toEqual([
      'ident',
      'range',
      'ident',
      'duration',
      'punct',
      'number',
    ]);
  });

  it('reads the catalogue table, rows with several metrics and enumerated label values', () => {
    const table = [
      '| metric | type | labels | what it is |',
      '| --- | --- | --- | --- |',
      '| `h_seconds` | histogram | `kind`, `outcome` (`done`, `failed`) | one |',
      '| `a_bytes`, `b_bytes`, … | gauge | | two |',
      '',
      '| other | table |',
    ].join('\n');
    const parsed = parseMetricCatalogue(table);
    expect([...parsed.keys()]).toEqual(['h_seconds', 'a_bytes', 'b_bytes']);
    expect(parsed.get('h_seconds')?.labels).toEqual(
      new Map([
        ['kind', []],
        ['outcome', ['done', 'failed']],
      ]),
    );
    const histogram = parsed.get('h_seconds');
    if (histogram === undefined) throw new Error('h_seconds missing');
    expect(exportedSeriesNames(histogram)).toEqual([
      'h_seconds_bucket',
      'h_seconds_sum',
      'h_seconds_count',
    ]);
    expect(catalogueEntryFor(parsed, 'h_seconds_count')?.suffix).toBe('_count');
    expect(catalogueEntryFor(parsed, 'h_seconds')).toBeUndefined();
    expect(catalogueEntryFor(parsed, 'up')?.entry.name).toBe('up');
    expect(
      exprProblems(parsed, 'rate(h_seconds_bucket{le="1",outcome="done",job="x"}[5m])'),
    ).toEqual([]);
    expect(
      exprProblems(parsed, 'h_seconds_count{outcome="faled"} + h_seconds_sum{le="1"} + a_byte'),
    ).toEqual([
      'h_seconds_count: outcome="faled" is not one of done, failed',
      'h_seconds_sum has no label le',
      'a_byte is not in the metric catalogue',
    ]);
  });

  it('finds every metric of the real catalogue, histograms and default metrics included', () => {
    expect(catalogue.get('http_request_duration_seconds')?.type).toBe('histogram');
    expect(catalogue.get('nodejs_eventloop_lag_seconds')?.type).toBe('default');
    expect(catalogue.get('vertex_backup_last_size_bytes')?.type).toBe('gauge');
    expect(catalogue.get('vertex_ar_funnel_events_total')?.labels.get('step')).toContain(
      'marker_found',
    );
  });
});
