import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildJobError, runChildJob } from './child-job.js';

/** The process plumbing under the wasm workers, with tiny throw-away workers. */

let dir: string;
const workers = {
  echo: `import os from 'node:os';
process.once('message', (job) => process.send({ type: 'result', job, nice: os.getPriority(), env: Object.keys(process.env), execArgv: process.execArgv }, () => process.exit(0)));`,
  fail: `process.once('message', () => process.send({ type: 'error', message: 'boom', log: 'wasm said no' }, () => process.exit(0)));`,
  crash: `process.once('message', () => { console.error('dying loudly'); process.exit(3); });`,
  hang: `process.once('message', () => setInterval(() => {}, 1000));`,
  exitCode: `process.once('message', () => { process.exitCode = 64; process.send({ type: 'result' }); process.disconnect(); });`,
  garbage: `process.once('message', () => process.send({ hello: 'world' }, () => process.exit(0)));`,
};
const file = (name: keyof typeof workers): string => path.join(dir, `${name}.mjs`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vtest-child-job-'));
  for (const [name, source] of Object.entries(workers))
    await writeFile(path.join(dir, `${name}.mjs`), source);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function rejection(promise: Promise<unknown>): Promise<ChildJobError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  if (!(error instanceof ChildJobError)) throw error;
  return error;
}

describe('runChildJob', () => {
  it('returns the reply of a low-priority child with a clean environment', async () => {
    process.env.VTEST_SECRET = 'do-not-leak';
    try {
      const reply = await runChildJob<{
        job: unknown;
        nice: number;
        env: string[];
        execArgv: string[];
      }>(file('echo'), { bytes: new Uint8Array([1, 2, 3]) }, { timeoutMs: 10_000 });
      expect(reply.job).toEqual({ bytes: new Uint8Array([1, 2, 3]) });
      expect(reply.nice).toBe(10);
      expect(reply.env).not.toContain('VTEST_SECRET');
      expect(reply.env).not.toContain('NODE_OPTIONS');
      expect(reply.execArgv).toEqual([]);
    } finally {
      delete process.env.VTEST_SECRET;
    }
  });

  it('reports a failure with the worker log', async () => {
    const error = await rejection(runChildJob(file('fail'), {}, { timeoutMs: 10_000 }));
    expect(error.code).toBe('failed');
    expect(error.message).toBe('boom');
    expect(error.log).toContain('wasm said no');
  });

  it('reports a crash with what the child printed', async () => {
    const error = await rejection(runChildJob(file('crash'), {}, { timeoutMs: 10_000 }));
    expect(error.code).toBe('crashed');
    expect(error.message).toMatch(/code 3/);
    expect(error.log).toContain('dying loudly');
  });

  it('rejects an unexpected message', async () => {
    const error = await rejection(runChildJob(file('garbage'), {}, { timeoutMs: 10_000 }));
    expect(error.code).toBe('failed');
  });

  it('kills the child on timeout before rejecting', async () => {
    let pid = 0;
    const started = Date.now();
    const error = await rejection(
      runChildJob(file('hang'), {}, { timeoutMs: 300, onSpawn: (p) => (pid = p) }),
    );
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('kills the child on abort', async () => {
    const controller = new AbortController();
    let pid = 0;
    const job = runChildJob(
      file('hang'),
      {},
      {
        timeoutMs: 10_000,
        signal: controller.signal,
        onSpawn: (p) => (pid = p),
      },
    );
    setTimeout(() => {
      controller.abort();
    }, 200);
    const error = await rejection(job);
    expect(error.code).toBe('aborted');
    expect(isAlive(pid)).toBe(false);
    const early = await rejection(
      runChildJob(file('echo'), {}, { timeoutMs: 1000, signal: AbortSignal.abort() }),
    );
    expect(early.code).toBe('aborted');
  });

  it('says so when the worker file is missing', async () => {
    const error = await rejection(
      runChildJob(path.join(dir, 'missing.mjs'), {}, { timeoutMs: 1000 }),
    );
    expect(error.code).toBe('crashed');
    expect(error.message).toMatch(/worker file not found/);
  });

  it("does not let the child's exit code reach this process", async () => {
    const before = process.exitCode;
    await runChildJob(file('exitCode'), {}, { timeoutMs: 10_000 });
    expect(process.exitCode).toBe(before);
  });
});
