// `npm start`: starts the server from an installed checkout, rebuilding first when the
// sources are newer than the build (so a `git pull` never runs stale code).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const entry = path.join(root, 'dist/main.js');

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (item.isFile())
      newest = Math.max(newest, statSync(path.join(item.parentPath, item.name)).mtimeMs);
  }
  return newest;
}

if (!existsSync(path.join(root, 'node_modules'))) {
  console.error('Dependencies are not installed: run `bash scripts/run.sh` (or `npm ci`) first.');
  process.exit(1);
}
if (!existsSync(entry) || newestSource(path.join(root, 'src')) > statSync(entry).mtimeMs) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// Run the CLI in this process (not a child) so signals reach the server directly.
process.argv = [process.argv[0], entry, 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(entry).href);
