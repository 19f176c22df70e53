import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { parseExposition, samplesOf, type Scrape } from '../../src/infra/metrics/exposition.js';

export { parseExposition, type Scrape };

/** Sum of the samples of `name` whose labels include `labels`. */
export function valueOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  const matching = samplesOf(scrape, name, labels);
  if (matching.length === 0) throw new Error(`no sample ${name}${JSON.stringify(labels)}`);
  return matching.reduce((sum, s) => sum + s.value, 0);
}

/** GET /metrics through `inject` (from 127.0.0.1, allowed by default). */
export async function scrapeApp(app: FastifyInstance, headers: Record<string, string> = {}) {
  const response = await app.inject({ url: '/metrics', headers });
  if (response.statusCode !== 200)
    throw new Error(`/metrics: ${response.statusCode} ${response.body}`);
  return parseExposition(response.body);
}

/** The metric names of the table in docs/operations.md (the catalogue dashboards rely on). */
export function catalogueNames(): Set<string> {
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const names = new Set<string>();
  for (const line of doc.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const [, name] of firstCell.matchAll(/`([a-z_:][a-z0-9_:]*)`/g))
      if (name !== undefined) names.add(name);
  }
  return names;
}
