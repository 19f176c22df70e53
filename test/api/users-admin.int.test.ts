import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/shared/ids.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';

describe('user administration and password changes', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let operatorSession: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.loginAs('admin');
    operatorSession = await t.loginAs('operator');
  });
  afterAll(() => t.close());

  const me = (session: LoggedIn) => t.app.inject({ url: '/api/auth/me', headers: bearer(session) });

  const patch = (id: string, payload: object, session = admin) =>
    t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer(session), payload });

  const resetPassword = (id: string, payload: object, session = admin) =>
    t.app.inject({
      method: 'POST',
      url: `/api/users/${id}/password`,
      headers: bearer(session),
      payload,
    });

  const changeOwn = (session: LoggedIn | null, payload: object) => {
    const headers: Record<string, string> = session === null ? {} : bearer(session);
    return t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload });
  };

  const auditActions = async (targetId: string): Promise<string[]> =>
    (
      await t.ctx.database.db
        .selectFrom('auditLog')
        .select('action')
        .where('targetId', '=', targetId)
        .orderBy('seq')
        .execute()
    ).map((row) => row.action);

  async function newOperator() {
    const credentials = await t.createUser('operator');
    const session = await t.login(credentials.username, credentials.password);
    return { ...credentials, session, id: session.userId };
  }

  it('disables a user (revoking their sessions) and enables them again', async () => {
    const user = await newOperator();
    expect((await me(user.session)).statusCode).toBe(200);

    const disabled = await patch(user.id, { disabled: true });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ id: user.id, disabled: true, role: 'operator' });
    expect((await me(user.session)).statusCode).toBe(401);
    const sessions = await t.ctx.database.db
      .selectFrom('sessions')
      .select('revokedAt')
      .where('userId', '=', user.id)
      .execute();
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password: user.password },
    });
    expect(login.statusCode).toBe(401);

    const enabled = await patch(user.id, { disabled: false });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json()).toMatchObject({ disabled: false });
    // Revoked sessions stay revoked; a new login works.
    expect((await me(user.session)).statusCode).toBe(401);
    const again = await t.login(user.username, user.password);
    expect((await me(again)).statusCode).toBe(200);

    const list = await t.app.inject({ url: '/api/users', headers: bearer(admin) });
    expect(list.json<{ items: { id: string; disabled: boolean }[] }>().items).toContainEqual(
      expect.objectContaining({ id: user.id, disabled: false }),
    );
    expect(await auditActions(user.id)).toEqual(['user.create', 'user.update', 'user.update']);
  });

  it('changes a role: a promoted operator gets admin routes, a demoted admin loses them', async () => {
    const user = await newOperator();
    const users = () => t.app.inject({ url: '/api/users', headers: bearer(user.session) });
    expect((await users()).statusCode).toBe(403);

    const promoted = await patch(user.id, { role: 'admin' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'admin', disabled: false });
    expect((await users()).statusCode).toBe(200);

    const demoted = await patch(user.id, { role: 'operator' });
    expect(demoted.json()).toMatchObject({ role: 'operator' });
    expect((await users()).statusCode).toBe(403);

    // Setting what is already set changes (and audits) nothing.
    const same = await patch(user.id, { role: 'operator', disabled: false });
    expect(same.statusCode).toBe(200);
    expect(await auditActions(user.id)).toEqual(['user.create', 'user.update', 'user.update']);
  });

  it('an admin cannot disable or demote themselves', async () => {
    for (const body of [
      { disabled: true },
      { role: 'operator' },
      { role: 'operator', disabled: false },
    ]) {
      const response = await patch(admin.userId, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'cannot_change_self' } });
    }
    // A no-op on oneself is fine.
    const noop = await patch(admin.userId, { role: 'admin', disabled: false });
    expect(noop.statusCode).toBe(200);
    expect((await me(admin)).json()).toMatchObject({ user: { role: 'admin', disabled: false } });
  });

  it('PATCH validates, needs an admin and a known user', async () => {
    const user = await newOperator();
    for (const body of [{}, { role: 'root' }, { disabled: 'yes' }, { role: null }]) {
      const response = await patch(user.id, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect((await patch('not-a-uuid', { disabled: true })).statusCode).toBe(400);
    const unknown = await patch(uuidv7(), { disabled: true });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const forbidden = await patch(user.id, { disabled: true }, operatorSession);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: { code: 'forbidden' } });
    const anonymous = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      payload: { disabled: true },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await me(user.session)).statusCode).toBe(200);
  });

  it('an admin resets a password: every session of the user is revoked', async () => {
    const user = await newOperator();
    const second = await t.login(user.username, user.password);

    const weak = await resetPassword(user.id, { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: { code: 'weak_password' } });
    expect((await me(user.session)).statusCode).toBe(200);

    const response = await resetPassword(user.id, { password: 'a-new-long-password' });
    expect(response.statusCode, response.body).toBe(204);
    expect((await me(user.session)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(401);
    await expect(t.login(user.username, user.password)).rejects.toThrow('login failed');
    const fresh = await t.login(user.username, 'a-new-long-password');
    expect((await me(fresh)).statusCode).toBe(200);
    expect(await auditActions(user.id)).toContain('user.reset_password');

    expect((await resetPassword(user.id, {})).statusCode).toBe(400);
    expect((await resetPassword(uuidv7(), { password: 'a-new-long-password' })).statusCode).toBe(
      404,
    );
    expect(
      (await resetPassword(user.id, { password: 'a-new-long-password' }, operatorSession))
        .statusCode,
    ).toBe(403);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: `/api/users/${user.id}/password`,
      payload: { password: 'a-new-long-password' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('a user changes their own password: other sessions end, this one stays', async () => {
    const user = await newOperator();
    const other = await t.login(user.username, user.password);

    const wrong = await changeOwn(user.session, {
      currentPassword: 'not-the-password',
      newPassword: 'brand-new-password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    // A wrong current password is not a reason to log out.
    expect((await me(user.session)).statusCode).toBe(200);

    const weak = await changeOwn(user.session, {
      currentPassword: user.password,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: { code: 'weak_password' } });

    for (const body of [{ currentPassword: user.password }, { newPassword: 'x'.repeat(12) }]) {
      expect((await changeOwn(user.session, body)).statusCode).toBe(400);
    }
    expect(
      (await changeOwn(null, { currentPassword: user.password, newPassword: 'brand-new-password' }))
        .statusCode,
    ).toBe(401);

    const response = await changeOwn(user.session, {
      currentPassword: user.password,
      newPassword: 'brand-new-password',
    });
    expect(response.statusCode, response.body).toBe(204);
    expect((await me(user.session)).statusCode).toBe(200);
    expect((await me(other)).statusCode).toBe(401);
    await expect(t.login(user.username, user.password)).rejects.toThrow('login failed');
    await t.login(user.username, 'brand-new-password');
    expect(await auditActions(user.id)).toEqual(
      expect.arrayContaining(['auth.password_change_failed', 'auth.password_change']),
    );

    // Admins change their own password the same way.
    const adminCredentials = await t.createUser('admin');
    const adminSession = await t.login(adminCredentials.username, adminCredentials.password);
    const own = await changeOwn(adminSession, {
      currentPassword: adminCredentials.password,
      newPassword: 'another-long-password',
    });
    expect(own.statusCode).toBe(204);
  });

  it('the new routes are in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(Object.keys(doc.paths['/api/users/{id}'] ?? {})).toContain('patch');
    expect(Object.keys(doc.paths['/api/users/{id}/password'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/api/auth/password'] ?? {})).toContain('post');
    for (const path of [
      '/api/portraits/{id}/videos',
      '/api/videos/{id}/activate',
      '/api/videos/{id}',
      '/api/analytics/portraits/{id}',
      '/api/analytics/summary',
      '/api/dashboard',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
