import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { BACKUP_PASSPHRASE, waitForJobs } from '../support/backup.js';
import { assertFreshBuild, runCli } from '../support/cli.js';

const TOKEN = 'check-cli-metrics-token-42';

/** `vertex-ar check` (the built CLI) against a running instance on the backend under test. */
describe('vertex-ar check', () => {
  let t: TestApp;
  let backupDir: string;
  let url: string;
  const env = () => ({ METRICS_TOKEN: TOKEN });

  beforeAll(async () => {
    assertFreshBuild();
    backupDir = await mkdtemp(path.join(os.tmpdir(), 'vertex-check-'));
    t = await createTestApp({
      METRICS_TOKEN: TOKEN,
      BACKUP_PASSPHRASE,
      BACKUP_DIR: backupDir,
      JOB_POLL_MS: '100',
    });
    t.ctx.jobs.start();
    url = await t.listen();
    const admin = await t.loginAs('admin');
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/backups',
      headers: bearer(admin),
    });
    expect(started.statusCode, started.body).toBe(202);
    await waitForJobs(t, 60_000);
    // A live instance has traffic: the few cold first requests (login, backup) are not its p95.
    for (let i = 0; i < 200; i++) await t.app.inject({ url: '/health' });
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await rm(backupDir, { recursive: true, force: true });
  });

  it('exits 0 on a healthy instance, printing every gate with its figure', async () => {
    const result = await runCli(['check', '--url', url], env());
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const gate of [
      'health',
      'readiness',
      'error rate',
      'p95 latency',
      'free disk (data)',
      'database connections',
      'last backup',
      'failed jobs',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^PASS +${gate.replace(/[()]/g, '\\$&')} `, 'm'));
    }
    expect(result.stdout).toMatch(/last backup +0\.0 h ago/);
    expect(result.stdout).toContain('All gates pass.');
  });

  it('exits 1 naming the gate that fails (a disk threshold no disk meets)', async () => {
    const result = await runCli(
      ['check', '--url', url, '--min-free-percent', '99.999', '--json'],
      env(),
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      gates: { gate: string; ok: boolean; detail: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.gates.filter((g) => !g.ok).map((g) => g.gate)).toContain('free disk (data)');
    expect(report.gates.filter((g) => !g.ok).every((g) => g.gate.startsWith('free disk'))).toBe(
      true,
    );
  });

  it('fails the metrics gate without the token, and is a usage error for a bad flag', async () => {
    const noToken = await runCli(['check', '--url', url], {});
    expect(noToken.code).toBe(1);
    expect(noToken.stdout).toMatch(/^FAIL +metrics +could not read \/metrics/m);
    expect(noToken.stderr).toContain('/metrics answered 401');

    const bad = await runCli(['check', '--url', url, '--max-p95-ms', 'fast'], env());
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--max-p95-ms must be a number');
  });

  it('fails health and readiness when nothing answers', async () => {
    const result = await runCli(['check', '--url', 'http://127.0.0.1:9'], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL +health +no answer/m);
    expect(result.stdout).toMatch(/^FAIL +readiness +no answer/m);
  });
});
