import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * Issue 9 item 6: a flood of wrong-password logins must not take the whole thread pool. With
 * one hash at a time and no queue, the overflow is refused at once (503 `busy`, Retry-After),
 * not left waiting; nothing of it is counted as a failed guess.
 */
describe('bounded password hashing under a login flood', () => {
  let t: TestApp;
  let user: { username: string; password: string };

  beforeAll(async () => {
    t = await createTestApp({
      RATE_LIMIT_ENABLED: 'false',
      TRUST_PROXY: '10.0.0.1',
      // A real cost, so hashes overlap; one at a time, nothing waiting.
      BCRYPT_COST: '10',
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE: '0',
    });
    user = await t.createUser('operator');
  });
  afterAll(() => t.close());

  it('answers the overflow 503 busy with Retry-After quickly, the rest 401', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: '10.0.0.1',
          headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
          payload: { username: user.username, password: `wrong-password-${i}` },
        }),
      ),
    );
    const elapsed = Date.now() - started;
    const statuses = answers.map((a) => a.statusCode);
    const busy = answers.filter((a) => a.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 503 || s === 401)).toBe(true);
    for (const answer of busy) {
      expect(answer.json()).toMatchObject({ error: { code: 'busy' } });
      expect(answer.headers['retry-after']).toBe('1');
    }
    // Twelve cost-10 hashes one after the other would take far longer than the few that ran.
    expect(elapsed).toBeLessThan(10_000);

    // Refused attempts were never checked, so they count as no failure: only the 401s do.
    const failures = await t.ctx.database.db
      .selectFrom('loginFailures')
      .select(['ip', 'failures'])
      .where('ip', '!=', '*')
      .execute();
    const counted = failures.reduce((sum, row) => sum + row.failures, 0);
    expect(counted).toBe(statuses.filter((s) => s === 401).length);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password: user.password },
    });
    expect(login.statusCode).toBe(200);
  });
});
