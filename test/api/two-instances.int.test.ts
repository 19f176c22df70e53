import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * Two instances of one installation — one database (on the PostgreSQL backend: one schema),
 * one Redis — behind a load balancer that sends a client's attempts to either of them: the
 * login budget (Redis) and the lockout (database) hold across both.
 */
describe('two instances on one database and one Redis', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];

  async function pair(env: Record<string, string>): Promise<[TestApp, TestApp]> {
    const shared = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `vertex-test:two-instances:${randomUUID()}:`,
      ...env,
    };
    const one = await createTestApp(shared, { database });
    const two = await createTestApp(shared, { database });
    apps.push(one, two);
    return [one, two];
  }

  const login = (t: TestApp, ip: string, username: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      payload: { username, password },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
    await database.cleanup();
  });

  it('share one login budget: 3 attempts on each from one address, the 6th is refused', async () => {
    // The production budget; the lockout (per account) set high so only the budget answers.
    const [one, two] = await pair({ AUTH_RATE_LIMIT: '5/minute', AUTH_MAX_ATTEMPTS: '1000' });
    const { username } = await one.createUser('admin', 'front-desk');
    const answers: number[] = [];
    for (const t of [one, one, one, two, two, two]) {
      answers.push((await login(t, '198.51.100.10', username, 'not-the-password')).statusCode);
    }
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('share the lockout: 5 failures spread over both lock that address on both', async () => {
    const [one, two] = await pair({ AUTH_RATE_LIMIT: '100/minute', AUTH_MAX_ATTEMPTS: '5' });
    const { username, password } = await one.createUser('admin', 'studio-owner');
    const attacker = '203.0.113.20';
    for (const t of [one, two, one, two, one]) {
      expect((await login(t, attacker, username, 'wrong-password-1')).statusCode).toBe(401);
    }
    for (const t of [one, two]) {
      const locked = await login(t, attacker, username, password);
      expect(locked.statusCode, locked.body).toBe(423);
      expect(locked.json<{ error: { code: string } }>().error.code).toBe('account_locked');
    }
    // The real admin, elsewhere, is not locked out on either instance.
    expect((await login(two, '198.51.100.30', username, password)).statusCode).toBe(200);
    expect((await login(one, '198.51.100.31', username, password)).statusCode).toBe(200);
  });
});
