import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../support/database.js';
import { assertFreshBuild, startServe, type ServeProcess } from '../support/cli.js';
import { multipartBody } from '../support/multipart.js';
import { fixtureParts } from '../support/studio.js';

type LogLine = Record<string, unknown>;

/** The files pino-roll wrote for `LOG_FILE=<dir>/<stem>.log`, oldest first. */
function rolledFiles(dir: string, stem: string): { name: string; number: number }[] {
  const pattern = new RegExp(`^${stem}\\.\\d{4}-\\d{2}-\\d{2}\\.(\\d+)\\.log$`);
  return readdirSync(dir)
    .flatMap((name) => {
      const number = pattern.exec(name)?.[1];
      return number === undefined ? [] : [{ name, number: Number(number) }];
    })
    .sort((a, b) => a.number - b.number);
}

/** Every line of the files, parsed: a line that is not one JSON object fails the test. */
function readLines(dir: string, stem: string): LogLine[] {
  return rolledFiles(dir, stem).flatMap(({ name }) =>
    readFileSync(path.join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          throw new Error(`${name}: not a JSON line: ${line}`);
        }
        expect(parsed, `${name}: ${line}`).toBeTypeOf('object');
        return parsed as LogLine;
      }),
  );
}

/** What the logs promise for each line: a numeric level, a time, and `reqId` on requests. */
function expectWellFormed(lines: LogLine[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line.level).toBeTypeOf('number');
    expect(line.time).toBeTypeOf('string');
    if ('req' in line || 'res' in line) expect(line.reqId).toBeTypeOf('string');
  }
}

const allText = (dir: string): string =>
  readdirSync(dir)
    .map((name) => readFileSync(path.join(dir, name), 'utf8'))
    .join('\n');

async function get(server: ServeProcess, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${url}`, { headers });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Waits until the files satisfy `check` and stay the same for a moment: the worker rotates
 * just after the last line is written, and deletes the oldest file just after that.
 */
async function settled(
  dir: string,
  check: (files: ReturnType<typeof rolledFiles>) => boolean,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  while (Date.now() < deadline) {
    const files = rolledFiles(dir, 'vertex-ar');
    const current = JSON.stringify(files);
    if (check(files) && current === previous) return;
    previous = current;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * LOG_FILE / LOG_ERROR_FILE through the built `vertex-ar serve`, stopped with SIGTERM as an
 * operator stops it: real files, real rotation. What is logged does not depend on the
 * database or storage backend, so one backend runs it.
 */
describe.skipIf(testBackend() !== 'sqlite-local')('log files', () => {
  let root: string;
  let base: Record<string, string>;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'vertex-logs-'));
    assertFreshBuild();
    base = { DATA_DIR: path.join(root, 'data'), BCRYPT_COST: '4', LOG_LEVEL: 'info' };
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('rotates LOG_FILE by LOG_MAX_SIZE and keeps LOG_RETENTION rotated files besides the current one, across restarts', async () => {
    const logDir = path.join(root, 'rotation'); // does not exist yet: created at start
    const env = {
      ...base,
      LOG_FILE: path.join(logDir, 'vertex-ar.log'),
      LOG_MAX_SIZE: '1k', // pino-roll's smallest unit
      LOG_RETENTION: '2',
    };
    const kept = 2 + 1;

    const first = await startServe(env);
    for (let i = 0; i < 40; i++) expect(await get(first, '/health')).toBe(200);
    await settled(logDir, (files) => files.length === kept);
    expect(await first.stop()).toBe(0);
    // stdout keeps its JSON lines: the file is a copy, not a replacement.
    expect(first.output()).toContain('"msg":"request completed"');

    const afterFirst = rolledFiles(logDir, 'vertex-ar');
    expect(afterFirst).toHaveLength(kept);
    // About 40 × 450 bytes went through 1 KiB files: the early ones were rotated and deleted.
    expect(afterFirst[0]?.number).toBeGreaterThan(5);
    expect(afterFirst.map((file) => file.number)).toEqual(
      [0, 1, 2].map((offset) => (afterFirst[0]?.number ?? 0) + offset),
    );
    expect(statSync(path.join(logDir, afterFirst[0]?.name ?? '')).mode & 0o777).toBe(0o600);
    const lines = readLines(logDir, 'vertex-ar');
    expectWellFormed(lines);
    expect(lines.filter((line) => line.msg === 'request completed').length).toBeGreaterThan(2);

    // After a restart the numbering continues, and the files of the earlier run count too.
    const lastOfFirst = afterFirst.at(-1)?.number ?? 0;
    const second = await startServe(env);
    for (let i = 0; i < 20; i++) expect(await get(second, '/health')).toBe(200);
    await settled(logDir, (files) => (files[0]?.number ?? 0) > lastOfFirst);
    expect(await second.stop()).toBe(0);
    const afterSecond = rolledFiles(logDir, 'vertex-ar');
    expect(afterSecond).toHaveLength(kept);
    expect(afterSecond[0]?.number).toBeGreaterThan(lastOfFirst);
    expectWellFormed(readLines(logDir, 'vertex-ar'));
  }, 90_000);

  describe('what the lines contain', () => {
    const logDir = () => path.join(root, 'content');
    const password = 'river-lamp-clock-9';
    const client = { clientName: 'Anna Petrova', clientPhone: '+7 999 123-45-67' };
    let secrets: string[] = [];
    let output = '';

    beforeAll(async () => {
      const dataDir = path.join(root, 'content-data');
      const server = await startServe({
        ...base,
        DATA_DIR: dataDir,
        LOG_FILE: path.join(logDir(), 'vertex-ar.log'),
        LOG_ERROR_FILE: path.join(logDir(), 'errors.log'),
        LOG_MASK_IP: 'true',
        TRUST_PROXY: 'true',
        ADMIN_USERNAME: 'owner',
        ADMIN_PASSWORD: password,
        // No ffprobe on this PATH: an upload then fails with 503 ffmpeg_unavailable, which is
        // logged as an error. Node is started by its absolute path, and the build is fresh
        // (checked above), so nothing else needs the PATH.
        PATH: path.join(root, 'no-tools'),
      });
      try {
        expect(await get(server, '/health', { 'x-forwarded-for': '203.0.113.57' })).toBe(200);
        expect(await get(server, '/health', { 'x-forwarded-for': '2001:db8:abcd:12::1' })).toBe(
          200,
        );
        const login = await fetch(`${server.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': 'login' },
          body: JSON.stringify({ username: 'owner', password }),
        });
        expect(login.status).toBe(200);
        const { accessToken, csrfToken } = (await login.json()) as {
          accessToken: string;
          csrfToken: string;
        };
        const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
        expect(cookie).toMatch(/^vertex_session=./);
        secrets = [password, accessToken, csrfToken, cookie, client.clientName, client.clientPhone];
        const authorization = `Bearer ${accessToken}`;
        expect(await get(server, '/api/auth/me', { authorization, 'x-request-id': 'me' })).toBe(
          200,
        );
        expect(await get(server, '/api/auth/me', { cookie, 'x-request-id': 'me-cookie' })).toBe(
          200,
        );

        const order = multipartBody(client, await fixtureParts());
        const upload = await fetch(`${server.baseUrl}/api/orders`, {
          method: 'POST',
          headers: { ...order.headers, authorization, 'x-request-id': 'upload' },
          body: order.payload,
        });
        expect(upload.status, await upload.text()).toBe(503);
        // Storage gone: readiness warns.
        rmSync(path.join(dataDir, 'storage'), { recursive: true, force: true });
        expect(await get(server, '/ready', { 'x-request-id': 'ready' })).toBe(503);
      } finally {
        // Stopped right after the last request: a clean stop must lose no line.
        expect(await server.stop()).toBe(0);
        output = server.output();
      }
    }, 60_000);

    it('sends warnings and errors also to LOG_ERROR_FILE, and nothing below warn', () => {
      const errors = readLines(logDir(), 'errors');
      expectWellFormed(errors);
      expect(errors.every((line) => Number(line.level) >= 40)).toBe(true);
      expect(errors).toContainEqual(
        expect.objectContaining({ level: 40, reqId: 'ready', msg: 'readiness check failed' }),
      );
      expect(errors).toContainEqual(
        expect.objectContaining({ level: 50, reqId: 'upload', msg: 'application error' }),
      );

      const all = readLines(logDir(), 'vertex-ar');
      expectWellFormed(all);
      expect(all.some((line) => line.level === 30 && line.reqId === 'ready')).toBe(true);
      // Every level in LOG_FILE, so the warnings and errors there too.
      for (const line of errors) expect(all).toContainEqual(line);
    });

    it('masks client addresses to their /24 or /48 (LOG_MASK_IP=true), in the files and on stdout', () => {
      const requests = readLines(logDir(), 'vertex-ar').flatMap((line) =>
        typeof line.req === 'object' && line.req !== null ? [line.req as LogLine] : [],
      );
      expect(requests).toContainEqual(expect.objectContaining({ remoteAddress: '203.0.113.0' }));
      expect(requests).toContainEqual(
        expect.objectContaining({ remoteAddress: '2001:db8:abcd::' }),
      );
      for (const request of requests) expect(request).not.toHaveProperty('remotePort');
      for (const text of [allText(logDir()), output]) {
        expect(text).not.toContain('203.0.113.57');
        expect(text).not.toContain('2001:db8:abcd:12::1');
      }
    });

    it("never writes a password, token, cookie or the client's name and phone", () => {
      const text = allText(logDir());
      for (const reqId of ['login', 'me', 'me-cookie', 'upload']) {
        expect(text).toContain(`"reqId":"${reqId}"`);
      }
      expect(secrets).toHaveLength(6);
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
        expect(output).not.toContain(secret);
      }
    });
  });
});
