import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoFixture } from '../fixtures/media.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { domainRowCounts, fixtureParts, postOrder } from '../support/studio.js';

/**
 * Requests a client gets wrong (or an attacker sends on purpose) answer 4xx with a stable code,
 * say nothing about the server's files, and leave nothing behind.
 */

interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}

const uploadsDir = (t: TestApp) => path.join(t.config.dataDir, 'tmp', 'uploads');
const uploadsLeft = async (t: TestApp) => (await readdir(uploadsDir(t)).catch(() => [])).length;

describe('malformed requests', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let admin: LoggedIn;

  beforeAll(async () => {
    // Rate limits have their own tests; here they would only count this file's many uploads.
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    operator = await t.loginAs('operator');
    admin = await t.loginAs('admin');
  });
  afterAll(() => t.close());

  const multipart = (contentType: string, payload: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { ...bearer(operator), 'content-type': contentType },
      payload,
    });

  const part = (boundary: string, name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

  it.each([
    ['no boundary', 'multipart/form-data', part('x', 'clientName', 'Anna')],
    [
      'a boundary the body never uses',
      'multipart/form-data; boundary=expected',
      `${part('other', 'clientName', 'Anna')}--other--\r\n`,
    ],
    [
      'a body cut off inside a field',
      'multipart/form-data; boundary=cut',
      '--cut\r\nContent-Disposition: form-data; name="clientName"\r\n\r\nAnn',
    ],
    [
      'a body cut off inside a file',
      'multipart/form-data; boundary=cut',
      '--cut\r\nContent-Disposition: form-data; name="portrait"; filename="p.jpg"\r\n' +
        'Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0',
    ],
    ['an empty boundary', 'multipart/form-data; boundary=', part('', 'clientName', 'Anna')],
    [
      'a boundary over 256 characters',
      `multipart/form-data; boundary=${'b'.repeat(300)}`,
      part('b'.repeat(300), 'clientName', 'Anna'),
    ],
  ])('answers multipart with %s with 400 invalid_multipart', async (_name, type, body) => {
    const before = await domainRowCounts(t);
    const response = await multipart(type, body);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<ErrorJson>().error.code).toBe('invalid_multipart');
    expect(await domainRowCounts(t)).toEqual(before);
    expect(await uploadsLeft(t)).toBe(0);
  });

  it('refuses unknown JSON properties with 400 instead of dropping them', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'someone', password: 'whatever', remember: true },
    });
    expect(login.statusCode).toBe(400);
    expect(login.json<ErrorJson>()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: [{ message: 'must NOT have additional properties' }],
      },
    });

    const user = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: {
        username: 'extra-field',
        password: 'a-long-enough-Passphrase-7',
        role: 'operator',
        isSuperuser: true,
      },
    });
    expect(user.statusCode).toBe(400);
    expect(user.json<ErrorJson>().error.code).toBe('validation_failed');
    const users = await t.app.inject({ url: '/api/users', headers: bearer(admin) });
    expect(users.body).not.toContain('extra-field');
  });

  describe('refuses NUL, control and bidi-override characters in text fields', () => {
    const nasty = {
      NUL: 'Anna\u0000Petrova',
      'a newline': 'Anna\nPetrova',
      escape: 'Anna\u001b[31m',
      'a right-to-left override': 'Anna\u202Egpj.exe',
      'a bidi isolate': 'Anna\u2067x\u2069',
      'a lone surrogate': 'Anna\uD800',
    };

    // Lone surrogates have no UTF-8 form: only JSON (`"\ud800"`) can carry one.
    const inUtf8 = Object.entries(nasty).filter(([name]) => name !== 'a lone surrogate');

    it.each(inUtf8)('in a multipart field (%s)', async (_name, value) => {
      const response = await postOrder(t, operator, {
        fields: { clientName: value, clientPhone: '+7 999 000 00 01' },
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json<ErrorJson>()).toMatchObject({
        error: { code: 'validation_failed', details: { field: 'clientName' } },
      });
      expect(await uploadsLeft(t)).toBe(0);
    });

    it.each(Object.entries(nasty))('in a JSON body and a query (%s)', async (_name, value) => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: bearer(admin),
        payload: { username: value, password: 'a-long-enough-Passphrase-7', role: 'operator' },
      });
      expect(created.statusCode).toBe(400);
      expect(created.json<ErrorJson>()).toMatchObject({
        error: { code: 'validation_failed', details: [{ path: '/username' }] },
      });

      if (!inUtf8.some(([, text]) => text === value)) return;
      const search = await t.app.inject({
        url: `/api/clients?q=${encodeURIComponent(value)}`,
        headers: bearer(operator),
      });
      expect(search.statusCode).toBe(400);
      expect(search.json<ErrorJson>()).toMatchObject({
        error: { code: 'validation_failed', details: [{ location: 'querystring', path: '/q' }] },
      });
    });

    it('in a client update, and keeps names in any script and with emoji', async () => {
      const order = await postOrder(t, operator, {
        fields: { clientName: 'Анна Петрова 👨‍👩‍👧', clientPhone: '+7 999 000 00 02' },
      });
      expect(order.statusCode, order.body).toBe(202);
      const client = order.json<{ client: { id: string; name: string } }>().client;
      expect(client.name).toBe('Анна Петрова 👨‍👩‍👧');

      const patch = await t.app.inject({
        method: 'PATCH',
        url: `/api/clients/${client.id}`,
        headers: { ...bearer(operator) },
        payload: { name: 'Анна\u202E' },
      });
      expect(patch.statusCode).toBe(400);
      expect(patch.json<ErrorJson>()).toMatchObject({
        error: { code: 'validation_failed', details: [{ path: '/name' }] },
      });
    });
  });

  it('never shows server paths in an error (ffprobe on a broken video)', async () => {
    const parts = await fixtureParts();
    const video = await readFile(await videoFixture());
    // A real MP4 header (ftyp) followed by garbage: ffprobe says "file:/…/<uuid>.upload: Invalid
    // data found when processing input".
    const broken = Buffer.concat([video.subarray(0, 32), Buffer.alloc(64 * 1024, 0x5a)]);
    const response = await postOrder(t, operator, {
      fields: { clientName: 'Anna', clientPhone: '+7 999 000 00 03' },
      files: { ...parts, video: { ...parts.video, content: broken } },
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    for (const leak of ['file:', '/tmp', t.config.dataDir, '.upload', 'uploads/']) {
      expect(response.body).not.toContain(leak);
    }
    expect(await uploadsLeft(t)).toBe(0);
  });
});

/** Raw HTTP over a socket, to send a body as slowly as an attacker would. */
function trickle(
  port: number,
  head: string,
  first: Buffer,
  everyMs: number,
): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      socket.write(first);
      timer = setInterval(() => {
        if (!socket.destroyed) socket.write('0123456789');
      }, everyMs);
    });
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('utf8');
    });
    socket.on('error', () => undefined); // a reset after the 408 is fine
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept the slow connection open'));
    }, 15_000).unref();
  });
}

describe('a body that trickles in', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({
      BODY_MIN_BYTES_PER_SECOND: '200',
      BODY_RATE_WINDOW_SECONDS: '1',
      RATE_LIMIT_ENABLED: 'false',
    });
    operator = await t.loginAs('operator');
    port = Number(new URL(await t.listen()).port);
  });
  afterAll(() => t.close());

  it('is cut off with 408 and its upload temp file removed', async () => {
    const { portrait } = await fixtureParts();
    const boundary = 'slowloris';
    const first = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="portrait"; filename="p.jpg"\r\n` +
          'Content-Type: image/jpeg\r\n\r\n',
      ),
      portrait.content.subarray(0, 16 * 1024),
    ]);
    const head =
      'POST /api/orders HTTP/1.1\r\nHost: localhost\r\n' +
      `Authorization: Bearer ${operator.accessToken}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${50 * 1024 * 1024}\r\n\r\n`;
    const sent = trickle(port, head, first, 500);
    // The upload really started: its temp file exists while the body trickles.
    await expect.poll(() => uploadsLeft(t), { timeout: 3000 }).toBe(1);
    const { response, closedAfterMs } = await sent;
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(response).toContain('"code":"request_timeout"');
    expect(closedAfterMs).toBeLessThan(6000);
    await expect.poll(() => uploadsLeft(t), { timeout: 3000 }).toBe(0);
  });

  it('is cut off on a JSON route too, while a normal request still works', async () => {
    const head =
      'POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\n' +
      'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n';
    const { response, closedAfterMs } = await trickle(port, head, Buffer.from('{"user'), 500);
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(6000);

    const normal = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }),
    });
    expect(normal.status).toBe(401);
  });
});
