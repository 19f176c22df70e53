import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createContext } from '../../src/context.js';
import type { FastifyInstance } from 'fastify';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';

const PROXY = '10.0.0.1';
const IP_A = '198.51.100.10';
const IP_B = '198.51.100.20';

interface LockoutItem {
  id: string;
  scope: 'ip' | 'account';
  username: string | null;
  account: string | null;
  ip: string | null;
  failures: number;
  lockedUntil: string;
}

/**
 * The acceptance of issue 9 item 2: failed logins lock (account, client IP), never the account
 * everywhere; the lock survives a restart; an admin lifts it; the audit log tells the story.
 * The client IP comes through the trusted proxy's X-Forwarded-For.
 */
describe('account lockout per account and client IP', () => {
  let t: TestApp;
  let admin: { username: string; password: string };
  let otherAdmin: LoggedIn;

  const login = (app: FastifyInstance, ip: string, username: string, password: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: PROXY,
      headers: { 'x-forwarded-for': ip },
      payload: { username, password },
    });

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: PROXY, RATE_LIMIT_ENABLED: 'false' });
    admin = await t.createUser('admin', 'admin');
    otherAdmin = await t.loginAs('admin');
  });
  afterAll(() => t.close());

  it('locks A after 5 wrong passwords, even for the right one; B logs in at once', async () => {
    for (let i = 1; i <= 5; i++) {
      const wrong = await login(t.app, IP_A, 'admin', `wrong-password-${i}`);
      expect(wrong.statusCode, `attempt ${i}`).toBe(401);
    }
    const right = await login(t.app, IP_A, 'admin', admin.password);
    expect(right.statusCode).toBe(423);
    const body = right.json<{ error: { code: string; details: { lockedUntil: string } } }>();
    expect(body.error.code).toBe('account_locked');
    const until = Date.parse(body.error.details.lockedUntil);
    expect(until - t.clock.now().getTime()).toBeGreaterThan(14 * 60_000);
    expect(until - t.clock.now().getTime()).toBeLessThanOrEqual(15 * 60_000);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
    expect(right.cookies).toHaveLength(0);
    // The same answer with a wrong password: the lock says nothing about the password.
    const wrong = await login(t.app, IP_A, 'admin', 'wrong-password-6');
    expect(wrong.statusCode).toBe(423);
    expect(wrong.json<{ error: object }>().error).toMatchObject({
      code: body.error.code,
      details: body.error.details,
    });

    const fromB = await login(t.app, IP_B, 'admin', admin.password);
    expect(fromB.statusCode).toBe(200);
  });

  it('keeps A locked after a restart (a new app on the same database)', async () => {
    const ctx = createContext(t.config, { storage: t.ctx.storage, clock: t.clock });
    const app = await buildApp(ctx);
    try {
      expect((await login(app, IP_A, 'admin', admin.password)).statusCode).toBe(423);
      expect((await login(app, IP_B, 'admin', admin.password)).statusCode).toBe(200);
    } finally {
      await app.close();
      await ctx.close();
    }
  });

  it('ignores X-Forwarded-For from an untrusted peer: it cannot unlock or lock others', async () => {
    const spoofed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '192.0.2.99',
      headers: { 'x-forwarded-for': IP_A },
      payload: { username: 'admin', password: admin.password },
    });
    // Counted as 192.0.2.99 (the peer), not as the locked A it claims to be.
    expect(spoofed.statusCode).toBe(200);
  });

  it('lets an admin see and lift the lock; the audit log shows failures, lock and unlock', async () => {
    const anon = await t.app.inject({ url: '/api/auth/lockouts' });
    expect(anon.statusCode).toBe(401);
    const operator = await t.loginAs('operator');
    expect(
      (await t.app.inject({ url: '/api/auth/lockouts', headers: bearer(operator) })).statusCode,
    ).toBe(403);

    const listed = await t.app.inject({ url: '/api/auth/lockouts', headers: bearer(otherAdmin) });
    expect(listed.statusCode).toBe(200);
    const items = listed.json<{ items: LockoutItem[] }>().items;
    expect(items).toHaveLength(1);
    const lock = items[0];
    expect(lock).toMatchObject({
      scope: 'ip',
      username: 'admin',
      account: null,
      ip: IP_A,
      failures: 5,
    });

    const lifted = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/lockouts/${lock?.id ?? ''}`,
      headers: bearer(otherAdmin),
      remoteAddress: PROXY,
    });
    expect(lifted.statusCode).toBe(204);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/lockouts/${lock?.id ?? ''}`,
      headers: bearer(otherAdmin),
    });
    expect(again.statusCode).toBe(404);
    expect((await login(t.app, IP_A, 'admin', admin.password)).statusCode).toBe(200);
    const after = await t.app.inject({ url: '/api/auth/lockouts', headers: bearer(otherAdmin) });
    expect(after.json<{ items: unknown[] }>().items).toEqual([]);

    const entries = await t.ctx.database.db
      .selectFrom('auditLog')
      .select(['action', 'actorIp', 'actorUserId', 'details', 'targetId'])
      .where('action', 'in', ['auth.login_failed', 'auth.lockout', 'auth.unlock'])
      .orderBy('seq')
      .execute();
    const failures = entries.filter((e) => e.action === 'auth.login_failed');
    expect(failures).toHaveLength(5); // the 423s computed nothing and recorded no failure
    expect(failures.every((e) => e.actorIp === IP_A)).toBe(true);
    expect(JSON.parse(failures[0]?.details ?? '{}')).toEqual({ username: 'admin' });
    const lockEntry = entries.find((e) => e.action === 'auth.lockout');
    expect(lockEntry).toMatchObject({ actorIp: IP_A, targetId: lock?.id });
    expect(JSON.parse(lockEntry?.details ?? '{}')).toMatchObject({ scope: 'ip', failures: 5 });
    const unlock = entries.find((e) => e.action === 'auth.unlock');
    expect(unlock).toMatchObject({ actorIp: PROXY, actorUserId: otherAdmin.userId });
    expect(JSON.parse(unlock?.details ?? '{}')).toMatchObject({ ip: IP_A, scope: 'ip' });
    expect(await t.ctx.services.auditService.verifyChain()).toBeNull();
  });

  it('counts a successful login as a fresh start for that IP', async () => {
    for (let i = 0; i < 4; i++) await login(t.app, IP_A, 'admin', 'wrong-password-x');
    expect((await login(t.app, IP_A, 'admin', admin.password)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) {
      expect((await login(t.app, IP_A, 'admin', 'wrong-password-y')).statusCode).toBe(401);
    }
    expect((await login(t.app, IP_A, 'admin', admin.password)).statusCode).toBe(200);
  });

  it('ends the lock by itself after AUTH_LOCKOUT_MINUTES', async () => {
    const ip = '198.51.100.30';
    for (let i = 0; i < 5; i++) await login(t.app, ip, 'admin', 'wrong-password-z');
    expect((await login(t.app, ip, 'admin', admin.password)).statusCode).toBe(423);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await login(t.app, ip, 'admin', admin.password)).statusCode).toBe(200);
  });

  it('slows guessing of unknown usernames the same way, storing no typed name', async () => {
    const ip = '198.51.100.40';
    const typed = 'Tr0ub4dor&3-typed-in-the-wrong-field';
    for (let i = 0; i < 5; i++) {
      expect((await login(t.app, ip, typed, 'whatever-pass')).statusCode).toBe(401);
    }
    const locked = await login(t.app, ip, typed, 'whatever-pass');
    expect(locked.statusCode).toBe(423);
    const items = (
      await t.app.inject({ url: '/api/auth/lockouts', headers: bearer(otherAdmin) })
    ).json<{ items: LockoutItem[] }>().items;
    const unknown = items.find((item) => item.ip === ip);
    expect(unknown).toMatchObject({ scope: 'ip', username: null });
    expect(unknown?.account).toMatch(/^unknown:[0-9a-f]{32}$/);
    const log = await t.ctx.database.db.selectFrom('auditLog').select('details').execute();
    expect(JSON.stringify(log).toLowerCase()).not.toContain(typed.toLowerCase());
  });
});

describe('the account-wide ceiling against guessing from many IPs', () => {
  let t: TestApp;
  let user: { username: string; password: string };
  const login = (ip: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: PROXY,
      headers: { 'x-forwarded-for': ip },
      payload: { username: user.username, password },
    });

  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: PROXY,
      RATE_LIMIT_ENABLED: 'false',
      AUTH_ACCOUNT_MAX_FAILURES_PER_HOUR: '6',
    });
    user = await t.createUser('operator', 'desk');
  });
  afterAll(() => t.close());

  it('refuses new IPs for the rest of the hour, spares a known device, then ends', async () => {
    const home = '203.0.113.5';
    expect((await login(home, user.password)).statusCode).toBe(200); // a device of theirs
    for (let i = 0; i < 6; i++) {
      // Three IPs, two failures each: no (account, IP) pair reaches 5.
      expect((await login(`192.0.2.${(i % 3) + 1}`, 'wrong-password-1')).statusCode).toBe(401);
    }
    const stranger = await login('192.0.2.77', user.password);
    expect(stranger.statusCode).toBe(429);
    expect(stranger.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(3000);
    expect((await login(home, user.password)).statusCode).toBe(200);

    t.clock.advance(60 * 60_000 + 1000);
    expect((await login('192.0.2.77', user.password)).statusCode).toBe(200);
  });
});
