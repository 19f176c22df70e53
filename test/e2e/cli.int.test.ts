import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestStorage, type TestStorage } from '../support/storage.js';
import { assertFreshBuild, runCli, startServe, storageEnv } from '../support/cli.js';

/**
 * The built product, driven the way an operator drives it: environment variables in, the
 * `vertex-ar` CLI and a real HTTP server out, on the backend under test.
 */
describe('vertex-ar CLI and server', () => {
  let database: TestDatabase;
  let storage: TestStorage;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    assertFreshBuild();
    database = await createTestDatabase();
    storage = await createTestStorage();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-cli-'));
    env = { DATA_DIR: dataDir, BCRYPT_COST: '4', ...database.env, ...storageEnv(storage.config) };
  });
  afterAll(async () => {
    await storage.cleanup();
    await database.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrate applies the migrations once and is a no-op the second time', async () => {
    const first = await runCli(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('Applied: 0001_foundation');
    const second = await runCli(['migrate'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('already up to date');
  });

  it('stops on invalid configuration with a message naming the variable', async () => {
    const result = await runCli(['migrate'], {
      ...env,
      PORT: 'eighty',
      SESSION_TIMEOUT_MINUTES: '0',
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('PORT must be an integer');
    expect(result.stderr).toContain('SESSION_TIMEOUT_MINUTES');
  });

  it('serves health, readiness and a full login/me/logout cycle for the env-configured admin', async () => {
    const server = await startServe({
      ...env,
      ADMIN_USERNAME: 'owner',
      ADMIN_PASSWORD: 'river-lamp-clock-9',
    });
    try {
      expect(server.output()).toContain('First admin "owner" created');
      expect(server.output()).not.toContain('river-lamp-clock-9');
      expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
      const ready = await fetch(`${server.baseUrl}/ready`);
      expect(ready.status, await ready.clone().text()).toBe(200);

      const login = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'owner', password: 'river-lamp-clock-9' }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const auth = { authorization: `Bearer ${accessToken}` };

      const me = await fetch(`${server.baseUrl}/api/auth/me`, { headers: auth });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { username: 'owner', role: 'admin' } });

      const logout = await fetch(`${server.baseUrl}/api/auth/logout`, {
        method: 'POST',
        headers: auth,
      });
      expect(logout.status).toBe(204);
      expect((await fetch(`${server.baseUrl}/api/auth/me`, { headers: auth })).status).toBe(401);
      expect(server.output()).not.toContain(accessToken);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('creates users and sets passwords from the CLI, reading the password from stdin', async () => {
    const created = await runCli(
      ['user', 'create', '--username', 'Desk', '--role', 'operator', '--password-stdin'],
      env,
      'quiet-harbor-71\n',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('Created operator "desk"');
    expect(created.stderr).not.toContain('quiet-harbor-71');

    const duplicate = await runCli(
      ['user', 'create', '--username', 'desk', '--password-stdin'],
      env,
      'another-pass-1\n',
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('username_taken');

    const weak = await runCli(
      ['user', 'set-password', '--username', 'desk', '--password-stdin'],
      env,
      'short\n',
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('weak_password');

    const generated = await runCli(['user', 'set-password', '--username', 'desk'], env);
    expect(generated.code, generated.stderr).toBe(0);
    const password = /New password \(shown only now\): (\S+)/.exec(generated.stderr)?.[1];
    expect(password).toBeDefined();

    const server = await startServe(env);
    try {
      expect(server.output()).not.toContain('First admin');
      const login = (pw: string) =>
        fetch(`${server.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'desk', password: pw }),
        });
      expect((await login('quiet-harbor-71')).status).toBe(401);
      expect((await login(password ?? '')).status).toBe(200);
    } finally {
      await server.stop();
    }

    const usage = await runCli(['user', 'promote'], env);
    expect(usage.code).toBe(64);
  });

  it('generates and prints a one-time admin password when none is configured', async () => {
    const fresh = await createTestDatabase();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vertex-cli-'));
    const freshEnv = { ...env, ...fresh.env, DATA_DIR: dir };
    try {
      const first = await startServe(freshEnv);
      await first.stop();
      const password = /One-time password \(shown only now, change it\): (\S+)/.exec(
        first.output(),
      )?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);

      const second = await startServe(freshEnv);
      try {
        expect(second.output()).not.toContain('One-time password');
        const login = await fetch(`${second.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
        // The session secret persisted in DATA_DIR is reused after the restart.
        expect(login.status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await fresh.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
