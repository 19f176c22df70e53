import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/support/app.js';

describe('authentication', () => {
  let t: TestApp;
  let admin: { username: string; password: string };

  beforeAll(async () => {
    t = await createTestApp({ SESSION_TIMEOUT_MINUTES: '5' });
    admin = await t.createUser('admin', 'boss');
  });
  afterAll(() => t.close());

  it('logs in, answers /me with the bearer token, and logout revokes the token', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'BOSS', password: admin.password },
    });
    expect(login.statusCode).toBe(200);
    const body = login.json<{
      accessToken: string;
      csrfToken: string;
      user: { username: string; role: string };
    }>();
    expect(body.user).toMatchObject({ username: 'boss', role: 'admin', disabled: false });
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.csrfToken.length).toBeGreaterThan(20);
    expect(JSON.stringify(body)).not.toContain('passwordHash');

    const cookie = login.cookies.find((c) => c.name === 'vertex_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).toBe(body.accessToken);

    const auth = { authorization: `Bearer ${body.accessToken}` };
    const me = await t.app.inject({ url: '/api/auth/me', headers: auth });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: 'boss', role: 'admin' } });

    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: auth });
    expect(logout.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/auth/me', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'session_expired' } });
  });

  it('gives the same answer for a wrong username and a wrong password', async () => {
    const wrongPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'boss', password: 'not-the-password' },
    });
    const wrongUser = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody-here', password: 'not-the-password' },
    });
    expect(wrongPassword.statusCode).toBe(401);
    expect(wrongUser.statusCode).toBe(401);
    const strip = (r: typeof wrongUser) => ({
      ...r.json<{ error: object }>().error,
      requestId: undefined,
    });
    expect(strip(wrongUser)).toEqual(strip(wrongPassword));
    expect(wrongUser.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    expect(wrongUser.cookies).toHaveLength(0);
  });

  it('rejects requests without credentials and malformed tokens', async () => {
    const none = await t.app.inject({ url: '/api/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'unauthenticated' } });

    const forged = await t.app.inject({
      url: '/api/auth/me',
      headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ error: { code: 'invalid_token' } });

    const basic = await t.app.inject({
      url: '/api/auth/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(basic.statusCode).toBe(401);
  });

  it('requires the CSRF header on cookie-authenticated unsafe requests, not on bearer ones', async () => {
    const session = await t.login(admin.username, admin.password);
    const cookieGet = await t.app.inject({
      url: '/api/auth/me',
      headers: { cookie: session.cookie },
    });
    expect(cookieGet.statusCode).toBe(200);

    const withoutCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session.cookie },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json()).toMatchObject({ error: { code: 'csrf_failed' } });

    const otherSession = await t.login(admin.username, admin.password);
    const wrongCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session.cookie, 'x-csrf-token': otherSession.csrfToken },
    });
    expect(wrongCsrf.statusCode).toBe(403);

    // The session is still alive after the rejected attempts.
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(session) })).statusCode).toBe(
      200,
    );

    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(withCsrf.statusCode).toBe(204);
    expect(withCsrf.cookies.find((c) => c.name === 'vertex_session')?.value).toBe('');

    const bearerPost = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: bearer(otherSession),
    });
    expect(bearerPost.statusCode).toBe(204);
  });

  it('expires a session idle longer than SESSION_TIMEOUT_MINUTES, sliding on activity', async () => {
    const session = await t.login(admin.username, admin.password);
    const me = () => t.app.inject({ url: '/api/auth/me', headers: bearer(session) });

    t.clock.advance(4 * 60_000);
    expect((await me()).statusCode).toBe(200);
    t.clock.advance(4 * 60_000); // 8 minutes since login, 4 since the last request
    expect((await me()).statusCode).toBe(200);
    t.clock.advance(5 * 60_000 + 1000);
    const expired = await me();
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ error: { code: 'session_expired' } });
    // Activity after expiry does not revive it.
    t.clock.advance(-60_000);
    expect((await me()).statusCode).toBe(401);
  });

  it('ends a session at its absolute lifetime (SESSION_MAX_HOURS) even when active', async () => {
    const session = await t.login(admin.username, admin.password);
    const me = () => t.app.inject({ url: '/api/auth/me', headers: bearer(session) });
    const statuses = new Set<number>();
    // Active every 4 minutes for just under 12 hours: never idle, always accepted.
    for (let minute = 4; minute < 12 * 60; minute += 4) {
      t.clock.advance(4 * 60_000);
      statuses.add((await me()).statusCode);
    }
    expect([...statuses]).toEqual([200]);
    t.clock.advance(4 * 60_000);
    expect((await me()).statusCode).toBe(401);
  });

  it('refuses a disabled user with the same answer as a wrong password', async () => {
    const user = await t.createUser('operator');
    const session = await t.login(user.username, user.password);
    await t.ctx.database.db
      .updateTable('users')
      .set({ disabledAt: t.clock.now().toISOString() })
      .where('username', '=', user.username)
      .execute();
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: user });
    expect(login.statusCode).toBe(401);
    expect(login.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(session) })).statusCode).toBe(
      401,
    );
  });

  it('records logins, failures and logouts in a hash-chained audit log', async () => {
    const actions = await t.ctx.database.db.selectFrom('auditLog').select('action').execute();
    const names = new Set(actions.map((a) => a.action));
    expect(names).toEqual(
      new Set(['user.create', 'auth.login', 'auth.login_failed', 'auth.logout']),
    );
    expect(await t.ctx.services.auditService.verifyChain()).toBeNull();

    const victim = await t.ctx.database.db
      .selectFrom('auditLog')
      .select('id')
      .orderBy('seq')
      .limit(1)
      .offset(2)
      .executeTakeFirstOrThrow();
    await t.ctx.database.db
      .updateTable('auditLog')
      .set({ actorIp: '10.9.9.9' })
      .where('id', '=', victim.id)
      .execute();
    expect(await t.ctx.services.auditService.verifyChain()).toBe(victim.id);
  });
});
