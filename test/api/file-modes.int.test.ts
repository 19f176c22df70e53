import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { testBackend } from '../support/database.js';
import { multipartBody } from '../support/multipart.js';
import { fixtureParts } from '../support/studio.js';

const mode = async (file: string) => (await stat(file)).mode & 0o777;

/**
 * The embedded default (SQLite and local storage under DATA_DIR) started as `vertex-ar serve`
 * starts it: everything it creates is private to the service account. Customers' photos and
 * videos, the database and the session secret are not for other users of the host.
 */
describe.skipIf(testBackend() !== 'sqlite-local')('files the server creates', () => {
  let parent: string;
  let dataDir: string;
  let server: RunningServer;
  let portraitId: string;
  let videoId: string;

  beforeAll(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'vertex-modes-'));
    dataDir = path.join(parent, 'data'); // does not exist yet: the server creates it
    const password = randomBytes(18).toString('base64url');
    server = await startServer(
      loadConfig({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        BCRYPT_COST: '4',
        ADMIN_USERNAME: 'owner',
        ADMIN_PASSWORD: password,
        JOBS_IN_PROCESS: 'false',
        RATE_LIMIT_ENABLED: 'false',
      }),
    );
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'owner', password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const body = multipartBody(
      { clientName: 'Anna', clientPhone: '+7 999 123 45 67' },
      await fixtureParts(),
    );
    const order = await server.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: {
        ...body.headers,
        authorization: `Bearer ${login.json<{ accessToken: string }>().accessToken}`,
      },
      payload: body.payload,
    });
    expect(order.statusCode, order.body).toBe(202);
    const ids = order.json<{ portrait: { id: string }; video: { id: string } }>();
    portraitId = ids.portrait.id;
    videoId = ids.video.id;
  });

  afterAll(async () => {
    await server.close();
    await rm(parent, { recursive: true, force: true });
  });

  it('creates the database (and its -wal and -shm) and the session secret 0600', async () => {
    for (const name of ['vertex-ar.sqlite', 'vertex-ar.sqlite-wal', 'vertex-ar.sqlite-shm']) {
      expect([name, await mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
    }
    expect(await mode(path.join(dataDir, 'session-secret'))).toBe(0o600);
  });

  it('stores originals 0600 in folders 0700, and keeps its temp folders 0700', async () => {
    const storage = path.join(dataDir, 'storage');
    const files = [
      path.join(storage, 'portraits', portraitId, 'original.jpg'),
      path.join(storage, 'videos', videoId, 'original.mp4'),
    ];
    for (const file of files) expect([file, await mode(file)]).toEqual([file, 0o600]);
    const dirs = [
      dataDir,
      storage,
      path.join(storage, 'portraits'),
      path.join(storage, 'portraits', portraitId),
      path.join(storage, 'videos', videoId),
      path.join(dataDir, 'tmp'),
      path.join(dataDir, 'tmp', 'uploads'),
    ];
    for (const dir of dirs) expect([dir, await mode(dir)]).toEqual([dir, 0o700]);
  });
});
