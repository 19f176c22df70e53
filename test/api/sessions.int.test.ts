import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/shared/ids.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';

interface SessionView {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

const codeOf = (response: LightMyRequestResponse) =>
  response.json<{ error: { code: string } }>().error.code;

describe('sessions', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    // Many logins and calls in a few seconds: the rate limits have tests of their own.
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    admin = await t.loginAs('admin');
  });
  afterAll(() => t.close());

  /** Logs in the way a browser on some device would: its own user agent and address. */
  async function loginFrom(
    credentials: { username: string; password: string },
    userAgent: string,
    ip = '198.51.100.1',
  ): Promise<LoggedIn & { sessionId: string }> {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': userAgent },
      remoteAddress: ip,
      payload: credentials,
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ accessToken: string; csrfToken: string; user: { id: string } }>();
    const session: LoggedIn = {
      accessToken: body.accessToken,
      csrfToken: body.csrfToken,
      cookie: `vertex_session=${body.accessToken}`,
      userId: body.user.id,
    };
    const me = await t.app.inject({ url: '/api/auth/me', headers: bearer(session) });
    return { ...session, sessionId: me.json<{ session: { id: string } }>().session.id };
  }

  const mine = async (session: LoggedIn): Promise<SessionView[]> => {
    const response = await t.app.inject({ url: '/api/auth/sessions', headers: bearer(session) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: SessionView[] }>().items;
  };

  const works = async (session: LoggedIn) =>
    (await t.app.inject({ url: '/api/auth/me', headers: bearer(session) })).statusCode === 200;

  const revoke = (session: LoggedIn, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${id}`, headers: bearer(session) });

  const revokeOthers = (session: LoggedIn) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/sessions/revoke-others',
      headers: bearer(session),
    });

  it('lists your own sessions with device, address and which one is current', async () => {
    const user = await t.createUser('operator');
    const laptop = await loginFrom(user, 'Firefox on Linux', '198.51.100.10');
    t.clock.advance(1000);
    const phone = await loginFrom(user, 'Safari on iPhone', '198.51.100.20');

    const fromLaptop = await mine(laptop);
    expect(fromLaptop).toHaveLength(2);
    // Newest first.
    expect(fromLaptop[0]).toMatchObject({
      id: phone.sessionId,
      userAgent: 'Safari on iPhone',
      ip: '198.51.100.20',
      current: false,
    });
    expect(fromLaptop[1]).toMatchObject({
      id: laptop.sessionId,
      userAgent: 'Firefox on Linux',
      ip: '198.51.100.10',
      current: true,
    });
    expect(fromLaptop[1]?.createdAt).toBeDefined();
    expect(fromLaptop[1]?.lastSeenAt).toBeDefined();
    expect((await mine(phone)).find((s) => s.current)?.id).toBe(phone.sessionId);
    // Only your own: the admin's sessions are not in it.
    expect((await mine(admin)).map((s) => s.id)).not.toContain(laptop.sessionId);
  });

  it('closes one session: it answers 401 on its next request, the others stay', async () => {
    const user = await t.createUser('operator');
    const laptop = await loginFrom(user, 'laptop');
    const phone = await loginFrom(user, 'phone');

    const response = await revoke(laptop, phone.sessionId);
    expect(response.statusCode).toBe(204);
    const next = await t.app.inject({ url: '/api/auth/me', headers: bearer(phone) });
    expect(next.statusCode).toBe(401);
    expect(codeOf(next)).toBe('session_expired');
    expect(await works(laptop)).toBe(true);
    expect((await mine(laptop)).map((s) => s.id)).toEqual([laptop.sessionId]);

    // Closed already, unknown or malformed: not found / invalid.
    expect((await revoke(laptop, phone.sessionId)).statusCode).toBe(404);
    expect((await revoke(laptop, uuidv7())).statusCode).toBe(404);
    expect((await revoke(laptop, 'not-a-uuid')).statusCode).toBe(400);

    const audit = await t.ctx.database.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId'])
      .where('targetId', '=', phone.sessionId)
      .orderBy('seq')
      .execute();
    expect(audit.map((e) => e.action)).toEqual(['auth.login', 'auth.session_revoke']);
    expect(audit[1]?.actorUserId).toBe(laptop.userId);
  });

  it("answers 404 to another user's session, unless the caller is an admin", async () => {
    const alice = await loginFrom(await t.createUser('operator'), 'alice');
    const bob = await loginFrom(await t.createUser('operator'), 'bob');

    const foreign = await revoke(alice, bob.sessionId);
    expect(foreign.statusCode).toBe(404);
    expect(await works(bob)).toBe(true);

    expect((await revoke(admin, bob.sessionId)).statusCode).toBe(204);
    expect(await works(bob)).toBe(false);
    expect(await works(alice)).toBe(true);
  });

  it('signs out everywhere else, keeping the current session', async () => {
    const user = await t.createUser('operator');
    const a = await loginFrom(user, 'a');
    const b = await loginFrom(user, 'b');
    const c = await loginFrom(user, 'c');
    const response = await revokeOthers(a);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: 2 });
    expect(await works(a)).toBe(true);
    expect(await works(b)).toBe(false);
    expect(await works(c)).toBe(false);
    expect((await mine(a)).map((s) => s.id)).toEqual([a.sessionId]);
    expect((await revokeOthers(a)).json()).toEqual({ revoked: 0 });

    // From the browser (cookie) it needs the CSRF token like every unsafe request.
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sessions/revoke-others',
      headers: { cookie: a.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(codeOf(noCsrf)).toBe('csrf_failed');
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sessions/revoke-others',
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken },
    });
    expect(withCsrf.statusCode).toBe(200);
  });

  it("lets an admin list and close another user's sessions; operators cannot", async () => {
    const credentials = await t.createUser('operator');
    const one = await loginFrom(credentials, 'one');
    const two = await loginFrom(credentials, 'two');
    const userId = one.userId;

    const list = await t.app.inject({
      url: `/api/users/${userId}/sessions`,
      headers: bearer(admin),
    });
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: SessionView[] }>().items;
    expect(items.map((s) => s.id).sort()).toEqual([one.sessionId, two.sessionId].sort());
    expect(items.every((s) => !s.current)).toBe(true);

    const byOperator = await t.app.inject({
      url: `/api/users/${userId}/sessions`,
      headers: bearer(one),
    });
    expect(byOperator.statusCode).toBe(403);
    expect(codeOf(byOperator)).toBe('forbidden');

    const wrongUser = await t.app.inject({
      method: 'DELETE',
      url: `/api/users/${admin.userId}/sessions/${one.sessionId}`,
      headers: bearer(admin),
    });
    expect(wrongUser.statusCode).toBe(404);
    const close = await t.app.inject({
      method: 'DELETE',
      url: `/api/users/${userId}/sessions/${one.sessionId}`,
      headers: bearer(admin),
    });
    expect(close.statusCode).toBe(204);
    expect(await works(one)).toBe(false);
    expect(await works(two)).toBe(true);

    const unknownUser = await t.app.inject({
      url: `/api/users/${uuidv7()}/sessions`,
      headers: bearer(admin),
    });
    expect(unknownUser.statusCode).toBe(404);
  });

  it('changing your password closes your other sessions, not this one', async () => {
    const credentials = await t.createUser('operator');
    const here = await loginFrom(credentials, 'here');
    const elsewhere = await loginFrom(credentials, 'elsewhere');
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: bearer(here),
      payload: { currentPassword: credentials.password, newPassword: 'a-new-long-passphrase-42' },
    });
    expect(change.statusCode, change.body).toBe(204);
    expect(await works(here)).toBe(true);
    expect(await works(elsewhere)).toBe(false);
    expect((await mine(here)).map((s) => s.id)).toEqual([here.sessionId]);
  });

  it("an admin's password reset or disabling closes every session of the user", async () => {
    const reset = await t.createUser('operator');
    const r1 = await loginFrom(reset, 'r1');
    const r2 = await loginFrom(reset, 'r2');
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/users/${r1.userId}/password`,
      headers: bearer(admin),
      payload: { password: 'another-long-passphrase-7' },
    });
    expect(response.statusCode, response.body).toBe(204);
    expect(await works(r1)).toBe(false);
    expect(await works(r2)).toBe(false);

    const disabled = await t.createUser('operator');
    const d1 = await loginFrom(disabled, 'd1');
    const d2 = await loginFrom(disabled, 'd2');
    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${d1.userId}`,
      headers: bearer(admin),
      payload: { disabled: true },
    });
    expect(disable.statusCode).toBe(200);
    expect(await works(d1)).toBe(false);
    expect(await works(d2)).toBe(false);
    const left = await t.app.inject({
      url: `/api/users/${d1.userId}/sessions`,
      headers: bearer(admin),
    });
    expect(left.json()).toEqual({ items: [] });
  });

  it('leaves idle and expired sessions out of the list', async () => {
    const user = await t.createUser('operator');
    const old = await loginFrom(user, 'old');
    const idleMs = t.config.sessionTimeoutMinutes * 60_000;
    t.clock.advance(idleMs - 60_000);
    const fresh = await loginFrom(user, 'fresh');
    t.clock.advance(120_000);
    expect((await mine(fresh)).map((s) => s.id)).toEqual([fresh.sessionId]);
    expect(await works(old)).toBe(false);
    admin = await t.loginAs('admin');
  });
});
