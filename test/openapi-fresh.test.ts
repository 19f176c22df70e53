import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_API_TYPES_PATH,
  OPENAPI_JSON_PATH,
  renderAdminApiTypes,
  renderOpenApiJson,
} from '../scripts/openapi-artifacts.js';

/** Where two texts first differ, as `line N: committed … / generated …` (null when equal). */
function firstDifference(committed: string, generated: string): string | null {
  if (committed === generated) return null;
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])} / generated ${JSON.stringify(b[at])}`;
}

function expectFresh(file: string, generated: string): void {
  const difference = firstDifference(readFileSync(file, 'utf8'), generated);
  const name = path.relative(process.cwd(), file);
  expect(difference, `${name} is stale (run \`npm run openapi\`): ${difference ?? ''}`).toBeNull();
}

/**
 * The committed API artifacts are what the route schemas produce today: a schema changed
 * without `npm run openapi` fails here, for the document and for the admin app's types.
 */
describe('generated API artifacts', () => {
  let json = '';
  let types = '';

  beforeAll(async () => {
    json = await renderOpenApiJson();
    types = await renderAdminApiTypes(json);
  });

  it('docs/openapi.json matches the route schemas byte for byte', () => {
    expectFresh(OPENAPI_JSON_PATH, json);
  });

  it('web/admin/src/api-types.gen.ts matches the OpenAPI document', () => {
    expectFresh(ADMIN_API_TYPES_PATH, types);
  });
});
