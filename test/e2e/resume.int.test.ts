import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/infra/db/database.js';
import { assertFreshBuild, startServe, storageEnv, type ServeProcess } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { multipartBody } from '../support/multipart.js';
import { createTestStorage, type TestStorage } from '../support/storage.js';
import { fixtureParts } from '../support/studio.js';

/**
 * A crash during marker generation loses no accepted work: the real server is killed with
 * SIGKILL while the marker job runs, started again, and the portrait ends `ready` (job resumed
 * after its lease expired) or `failed` with a reason — never stuck in `processing`.
 */
describe('restart during marker generation', () => {
  let database: TestDatabase;
  let storage: TestStorage;
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServeProcess | undefined;

  beforeAll(async () => {
    assertFreshBuild();
    database = await createTestDatabase();
    storage = await createTestStorage();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-resume-'));
    env = {
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
      ADMIN_USERNAME: 'owner',
      ADMIN_PASSWORD: 'river-lamp-clock-9',
      JOB_LEASE_SECONDS: '3',
      JOB_POLL_MS: '200',
      ...database.env,
      ...storageEnv(storage.config),
    };
  });
  afterAll(async () => {
    await server?.stop();
    await storage.cleanup();
    await database.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'resumes the interrupted job after a kill -9 and ends ready',
    { timeout: 360_000 },
    async () => {
      server = await startServe(env);
      const login = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'owner', password: 'river-lamp-clock-9' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const body = multipartBody(
        { clientName: 'Crash Test', clientPhone: '+12025550101' },
        await fixtureParts(),
      );
      const accepted = await fetch(`${server.baseUrl}/api/orders`, {
        method: 'POST',
        headers: { ...body.headers, authorization: `Bearer ${accessToken}` },
        body: body.payload,
      });
      expect(accepted.status).toBe(202);
      const { portrait } = (await accepted.json()) as { portrait: { id: string } };

      const db = createDatabase(database.config);
      try {
        const markerJob = () =>
          db.db
            .selectFrom('jobs')
            .selectAll()
            .where('kind', '=', 'marker.generate')
            .executeTakeFirstOrThrow();
        const deadline = Date.now() + 60_000;
        while ((await markerJob()).status !== 'running') {
          if (Date.now() > deadline) throw new Error('marker job never started');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await new Promise((resolve) => setTimeout(resolve, 1500)); // well inside the generation
        server.child.kill('SIGKILL');
        await new Promise((resolve) => server?.child.once('exit', resolve));
        expect((await markerJob()).status).toBe('running'); // orphaned, as after a real crash

        server = await startServe(env);
        const until = Date.now() + 300_000;
        let status = 'processing';
        while (status === 'processing' && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const row = await db.db
            .selectFrom('portraits')
            .select(['status', 'error'])
            .where('id', '=', portrait.id)
            .executeTakeFirstOrThrow();
          status = row.status;
        }
        expect(status).toBe('ready');
        const job = await markerJob();
        expect(job).toMatchObject({ status: 'done', attempts: 2 });
      } finally {
        await db.destroy();
      }
    },
  );
});
