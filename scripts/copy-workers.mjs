// The marker workers are plain .mjs files run in child processes; tsc does not copy them.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const from = path.join(root, 'src/infra/markers/workers');
const to = path.join(root, 'dist/infra/markers/workers');
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from).filter((n) => n.endsWith('.mjs'))) {
  cpSync(path.join(from, name), path.join(to, name));
}
