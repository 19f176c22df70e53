import { readFileSync } from 'node:fs';

interface PackageJson {
  name: string;
  version: string;
}

// Both src/version.ts (tests) and dist/version.js (built) sit one level below package.json.
const pkg = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as PackageJson;

export const versionInfo = {
  name: pkg.name,
  version: pkg.version,
  /** Set by the image build (`GIT_COMMIT` build arg); "unknown" in a plain checkout. */
  commit: process.env.GIT_COMMIT ?? 'unknown',
  node: process.version,
} as const;
