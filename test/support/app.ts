import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { migrateToLatest } from '../../src/infra/db/migrate.js';
import type { Role } from '../../src/infra/db/schema.js';
import type { Clock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createTestStorage } from './storage.js';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  private current: number;
  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface LoggedIn {
  accessToken: string;
  csrfToken: string;
  /** `vertex_session=<jwt>` as a browser would send it. */
  cookie: string;
  userId: string;
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  config: Config;
  clock: TestClock;
  createUser(role: Role, username?: string): Promise<{ username: string; password: string }>;
  login(username: string, password: string): Promise<LoggedIn>;
  /** Creates a user of the role and logs in. */
  loginAs(role: Role): Promise<LoggedIn>;
  /** Serves the app on a free loopback port; its base URL (`http://127.0.0.1:<port>`). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole application on the backend under test (fresh database and storage), served
 * through `app.inject`. Low bcrypt cost keeps the suite fast; everything else is real.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  /** Another instance of the same installation: this database, left to its owner to remove. */
  shared: { database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = shared.database ?? (await createTestDatabase());
  const storage = await createTestStorage();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-data-'));
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      BCRYPT_COST: '4',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      // Tests log in from 127.0.0.1 many times a file, upload more than 10 orders a minute and
      // poll job status: raised here, kept at their defaults by test/api/rate-limit.int.test.ts.
      // The public page's budget keeps its default.
      AUTH_RATE_LIMIT: '10000/minute',
      UPLOAD_RATE_LIMIT: '10000/minute',
      GLOBAL_RATE_LIMIT: '10000/minute',
      ...database.env,
      ...env,
    }),
    storage: storage.config,
  };
  const clock = new TestClock();
  const ctx = createContext(config, { storage: storage.storage, clock });
  await migrateToLatest(ctx.database, config.database, { phoneRegion: config.phoneRegion });
  const app = await buildApp(ctx);
  let counter = 0;

  async function createUser(role: Role, username = `${role}${++counter}`) {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await ctx.services.usersService.createUser({ username, password, role });
    return { username, password };
  }

  async function login(username: string, password: string): Promise<LoggedIn> {
    const response: LightMyRequestResponse = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
    });
    if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
    const body = response.json<{ accessToken: string; csrfToken: string; user: { id: string } }>();
    return {
      accessToken: body.accessToken,
      csrfToken: body.csrfToken,
      cookie: `vertex_session=${body.accessToken}`,
      userId: body.user.id,
    };
  }

  return {
    app,
    ctx,
    config,
    clock,
    createUser,
    login,
    async loginAs(role) {
      const { username, password } = await createUser(role);
      return login(username, password);
    },
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      return `http://127.0.0.1:${address.port}`;
    },
    async close() {
      await app.close();
      await ctx.close();
      await storage.cleanup();
      if (shared.database === undefined) await database.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (session: LoggedIn) => ({ authorization: `Bearer ${session.accessToken}` });
