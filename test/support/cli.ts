import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { StorageConfig } from '../../src/infra/storage/index.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** CLI tests run the built product; a stale build would test old code, so refuse it. */
export function assertFreshBuild(): void {
  let built: number;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    throw new Error(`${CLI} is missing: run \`npm run build\` first (scripts/test.sh does)`);
  }
  if (newestMtime(path.join(ROOT, 'src')) > built) {
    throw new Error('dist/ is older than src/: run `npm run build` first (scripts/test.sh does)');
  }
}

/** The environment variables that select a storage, as an operator would set them. */
export function storageEnv(config: StorageConfig): Record<string, string> {
  if (config.driver === 'local') return { STORAGE_DRIVER: 'local' };
  return {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: config.endpoint ?? '',
    S3_REGION: config.region,
    S3_BUCKET: config.bucket,
    S3_ACCESS_KEY_ID: config.accessKeyId ?? '',
    S3_SECRET_ACCESS_KEY: config.secretAccessKey ?? '',
    S3_FORCE_PATH_STYLE: String(config.forcePathStyle),
  };
}

/** Only what the product reads: no inherited configuration leaks into a CLI test. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...env,
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env), cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

export interface ServeProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts the server exactly as `npm start` does (`scripts/start.mjs` → `vertex-ar serve`) on a
 * free loopback port and waits for its banner.
 */
export function startServe(env: Record<string, string>, timeoutMs = 30_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', ...env }),
    cwd: ROOT,
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({
          child,
          baseUrl: `http://127.0.0.1:${match[1]}`,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) {
                done(child.exitCode);
                return;
              }
              child.once('exit', (code) => {
                done(code);
              });
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${String(code)}:\n${output}`));
    });
  });
}
