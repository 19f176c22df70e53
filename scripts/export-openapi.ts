/**
 * `npm run openapi`: writes the OpenAPI document generated from the route schemas to
 * docs/openapi.json (the running server serves the same at /api/docs/json).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-openapi-'));
const ctx = createContext(
  loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'https://ar.example.com' }),
);
try {
  const app = await buildApp(ctx);
  await app.ready();
  const out = path.resolve(import.meta.dirname, '../docs/openapi.json');
  writeFileSync(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
  await app.close();
  console.log(`written ${path.relative(process.cwd(), out)}`);
} finally {
  await ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
}
