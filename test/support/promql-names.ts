/**
 * The metric catalogue of docs/operations.md and the metric names PromQL expressions use, so
 * tests can hold the dashboard, the alert rules and the live `/metrics` output to one list.
 *
 * The PromQL side is a tokenizer, not a parser: `promtool` checks the syntax. It finds the
 * vector selectors (`name{label="value"}`), skipping functions and aggregations (an identifier
 * followed by `(`), keywords (`by`, `without`, `on`, `ignoring`, `group_left`, `and`, `offset`
 * …), the label names inside `{}` and after `by (…)`, ranges, durations, numbers and strings.
 */

export type PromqlToken =
  | { kind: 'ident'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'duration'; text: string }
  /** `[5m]`, `[1h:1m]`: a range or subquery, kept whole. */
  | { kind: 'range'; text: string }
  | { kind: 'punct'; text: string };

const IDENT = /^[A-Za-z_:][A-Za-z0-9_:]*/;
const DURATION = /^(?:\d+(?:ms|[smhdwy]))+(?![A-Za-z0-9_:])/;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
const PUNCT = ['==', '!=', '>=', '<=', '=~', '!~', '(', ')', '{', '}', ',', '=', '>', '<'];
const OPERATOR_CHARS = '+-*/%^@';

/** Splits a PromQL expression into tokens; throws on a character PromQL does not have. */
export function tokenizePromql(expr: string): PromqlToken[] {
  const tokens: PromqlToken[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr.charAt(i);
    const rest = expr.slice(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#') {
      const end = expr.indexOf('\n', i);
      i = end === -1 ? expr.length : end;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let text = '';
      while (j < expr.length && expr.charAt(j) !== c) {
        if (c !== '`' && expr.charAt(j) === '\\') j += 1;
        text += expr.charAt(j);
        j += 1;
      }
      if (j >= expr.length) throw new Error(`unterminated string at ${i} in: ${expr}`);
      tokens.push({ kind: 'string', text });
      i = j + 1;
    } else if (c === '[') {
      const end = expr.indexOf(']', i);
      if (end === -1) throw new Error(`unterminated range at ${i} in: ${expr}`);
      tokens.push({ kind: 'range', text: expr.slice(i, end + 1) });
      i = end + 1;
    } else if (DURATION.test(rest)) {
      const text = DURATION.exec(rest)?.[0] ?? '';
      tokens.push({ kind: 'duration', text });
      i += text.length;
    } else if (/[0-9.]/.test(c) && NUMBER.test(rest)) {
      const text = NUMBER.exec(rest)?.[0] ?? '';
      tokens.push({ kind: 'number', text });
      i += text.length;
    } else if (IDENT.test(rest)) {
      const text = IDENT.exec(rest)?.[0] ?? '';
      const lower = text.toLowerCase();
      tokens.push({ kind: lower === 'inf' || lower === 'nan' ? 'number' : 'ident', text });
      i += text.length;
    } else {
      const punct = PUNCT.find((p) => rest.startsWith(p));
      if (punct !== undefined) {
        tokens.push({ kind: 'punct', text: punct });
        i += punct.length;
      } else if (OPERATOR_CHARS.includes(c)) {
        tokens.push({ kind: 'punct', text: c });
        i += 1;
      } else {
        throw new Error(`unexpected ${JSON.stringify(c)} at ${i} in: ${expr}`);
      }
    }
  }
  return tokens;
}

/** Keywords that are not metric names (PromQL keywords are case-insensitive). */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2']);
/** Keywords followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);

/** Aggregation operators: `sum by (job) (…)` puts the grouping before the parentheses. */
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface VectorSelector {
  /** The metric name; from `{__name__="…"}` when written that way; undefined for a bare `{…}` without it. */
  metric: string | undefined;
  matchers: LabelMatcher[];
}

/** Reads `{label="value", …}` starting at the `{` at `start`; returns the matchers and the index after `}`. */
function readMatchers(tokens: PromqlToken[], start: number): [LabelMatcher[], number] {
  const matchers: LabelMatcher[] = [];
  let i = start + 1;
  while (i < tokens.length && tokens[i]?.text !== '}') {
    const label = tokens[i];
    const op = tokens[i + 1];
    const value = tokens[i + 2];
    if (
      label?.kind !== 'ident' ||
      op?.kind !== 'punct' ||
      !['=', '!=', '=~', '!~'].includes(op.text) ||
      value?.kind !== 'string'
    ) {
      throw new Error(
        `bad label matcher near token ${i}: ${JSON.stringify(tokens.slice(i, i + 3))}`,
      );
    }
    matchers.push({ label: label.text, op: op.text as LabelMatcher['op'], value: value.text });
    i += 3;
    if (tokens[i]?.text === ',') i += 1;
  }
  if (i >= tokens.length) throw new Error('unterminated {…}');
  return [matchers, i + 1];
}

/** Every vector selector of an expression, in order. */
export function vectorSelectors(expr: string): VectorSelector[] {
  const tokens = tokenizePromql(expr);
  const selectors: VectorSelector[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (token === undefined) break;
    if (token.kind === 'punct' && token.text === '{') {
      // A selector without a name in front: {__name__="…", …}
      const [matchers, after] = readMatchers(tokens, i);
      const name = matchers.find((m) => m.label === '__name__' && m.op === '=');
      selectors.push({ metric: name?.value, matchers: matchers.filter((m) => m !== name) });
      i = after;
      continue;
    }
    if (token.kind !== 'ident') {
      i += 1;
      continue;
    }
    const lower = token.text.toLowerCase();
    if (LABEL_LIST_KEYWORDS.has(lower)) {
      i += 1;
      if (tokens[i]?.text === '(') {
        while (i < tokens.length && tokens[i]?.text !== ')') i += 1;
        i += 1;
      }
      continue;
    }
    const grouped = next?.kind === 'ident' && ['by', 'without'].includes(next.text.toLowerCase());
    if (KEYWORDS.has(lower) || next?.text === '(' || (AGGREGATIONS.has(lower) && grouped)) {
      // a keyword, or a function / aggregation call
      i += 1;
      continue;
    }
    if (next?.text === '{') {
      const [matchers, after] = readMatchers(tokens, i + 1);
      selectors.push({ metric: token.text, matchers });
      i = after;
    } else {
      selectors.push({ metric: token.text, matchers: [] });
      i += 1;
    }
  }
  return selectors;
}

/** The distinct metric names an expression reads, sorted. */
export function metricNames(expr: string): string[] {
  const names = vectorSelectors(expr)
    .map((s) => s.metric)
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}

// --- the catalogue ------------------------------------------------------------------------------

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'default';

export interface CatalogueEntry {
  name: string;
  type: MetricType;
  /** Label name → the values the catalogue lists for it (empty: not enumerated). */
  labels: Map<string, string[]>;
}

/** Labels every scraped series carries. */
export const TARGET_LABELS = ['job', 'instance'] as const;

/** Prometheus's own series, allowed though no application exports them. */
export const PROMETHEUS_OWN_METRICS: ReadonlyMap<string, CatalogueEntry> = new Map([
  ['up', { name: 'up', type: 'gauge', labels: new Map() }],
]);

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;
const METRIC_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;

/** Splits a Markdown table row into its cells (`\|` is a literal bar). */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

const backticked = (text: string): string[] =>
  [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

/**
 * The metric table of docs/operations.md: the first table whose header starts with `metric`
 * and has `type` and `labels` columns. A row may name several metrics (they share type and
 * labels); `label` (`a`, `b`) in the labels column lists the values of that label.
 */
export function parseMetricCatalogue(markdown: string): Map<string, CatalogueEntry> {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => {
    const head = line.trim().startsWith('|') ? cells(line).map((c) => c.toLowerCase()) : [];
    return head[0] === 'metric' && head.includes('type') && head.includes('labels');
  });
  if (header === -1) throw new Error('no metric table (| metric | type | labels | …) found');
  const head = cells(lines[header] ?? '').map((c) => c.toLowerCase());
  const typeAt = head.indexOf('type');
  const labelsAt = head.indexOf('labels');
  const catalogue = new Map<string, CatalogueEntry>();
  for (const line of lines.slice(header + 2)) {
    if (!line.trim().startsWith('|')) break;
    const row = cells(line);
    const type = (row[typeAt] ?? '').toLowerCase() as MetricType;
    if (!['counter', 'gauge', 'histogram', 'summary', 'default'].includes(type)) {
      throw new Error(`unknown metric type "${type}" in: ${line}`);
    }
    const labels = new Map<string, string[]>();
    // `kind`, `status` (`queued`, `running`, `failed`): names outside (…), values inside.
    const labelText = row[labelsAt] ?? '';
    for (const m of labelText.matchAll(/`([^`]+)`(?:\s*\(([^)]*)\))?/g)) {
      labels.set(m[1] ?? '', backticked(m[2] ?? ''));
    }
    const names = backticked(row[0] ?? '').filter((name) => METRIC_NAME.test(name));
    if (names.length === 0) throw new Error(`no metric name in: ${line}`);
    for (const name of names) {
      if (catalogue.has(name)) throw new Error(`${name} is listed twice`);
      catalogue.set(name, { name, type, labels });
    }
  }
  return catalogue;
}

/** The series names a catalogued metric exports (a histogram: `_bucket`, `_sum`, `_count`). */
export function exportedSeriesNames(entry: CatalogueEntry): string[] {
  return entry.type === 'histogram'
    ? HISTOGRAM_SUFFIXES.map((suffix) => `${entry.name}${suffix}`)
    : [entry.name];
}

/** The catalogue entry a series name belongs to (`x_bucket` → histogram `x`), and its suffix. */
export function catalogueEntryFor(
  catalogue: ReadonlyMap<string, CatalogueEntry>,
  series: string,
): { entry: CatalogueEntry; suffix: string } | undefined {
  const own = PROMETHEUS_OWN_METRICS.get(series) ?? catalogue.get(series);
  if (own !== undefined && own.type !== 'histogram') return { entry: own, suffix: '' };
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!series.endsWith(suffix)) continue;
    const entry = catalogue.get(series.slice(0, -suffix.length));
    if (entry?.type === 'histogram') return { entry, suffix };
  }
  return undefined;
}

/**
 * What is wrong with one selector against the catalogue: an unknown metric (a bare histogram
 * name is one: it exports only `_bucket`, `_sum`, `_count`), a label the metric does not have,
 * or an exact value (`=`/`!=`) the catalogue does not list for an enumerated label.
 */
export function selectorProblems(
  catalogue: ReadonlyMap<string, CatalogueEntry>,
  selector: VectorSelector,
): string[] {
  if (selector.metric === undefined) return ['a selector without a metric name'];
  const found = catalogueEntryFor(catalogue, selector.metric);
  if (found === undefined) return [`${selector.metric} is not in the metric catalogue`];
  const problems: string[] = [];
  for (const { label, op, value } of selector.matchers) {
    if ((TARGET_LABELS as readonly string[]).includes(label)) continue;
    if (label === 'le' && found.suffix === '_bucket') continue;
    const values = found.entry.labels.get(label);
    if (values === undefined) {
      problems.push(`${selector.metric} has no label ${label}`);
    } else if ((op === '=' || op === '!=') && values.length > 0 && !values.includes(value)) {
      problems.push(`${selector.metric}: ${label}="${value}" is not one of ${values.join(', ')}`);
    }
  }
  return problems;
}

/** Every catalogue problem of an expression (empty when all its selectors are catalogued). */
export function exprProblems(
  catalogue: ReadonlyMap<string, CatalogueEntry>,
  expr: string,
): string[] {
  return vectorSelectors(expr).flatMap((selector) => selectorProblems(catalogue, selector));
}
