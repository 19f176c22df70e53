import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { placeOrder } from '../support/studio.js';

interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  role: 'admin' | 'operator';
  createdBy: { id: string; username: string };
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
}
type CreatedKey = ApiKeyView & { key: string };
type ErrorAnswer = { error: { code: string } };

const withKey = (key: string) => ({ authorization: `Bearer ${key}` });
const codeOf = (response: LightMyRequestResponse) => response.json<ErrorAnswer>().error.code;

describe('API keys', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let operator: LoggedIn;

  beforeAll(async () => {
    // Many logins and calls in a few seconds: the rate limits have tests of their own.
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    admin = await t.loginAs('admin');
    operator = await t.loginAs('operator');
  });
  afterAll(() => t.close());

  const createKey = (session: LoggedIn, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/api-keys', headers: bearer(session), payload });

  async function newKey(session: LoggedIn, payload: object = {}): Promise<CreatedKey> {
    const response = await createKey(session, { name: 'n8n', role: 'operator', ...payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<CreatedKey>();
  }

  const listKeys = async (session: LoggedIn): Promise<ApiKeyView[]> => {
    const response = await t.app.inject({ url: '/api/api-keys', headers: bearer(session) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: ApiKeyView[] }>().items;
  };

  const clientsWith = (key: string) =>
    t.app.inject({ url: '/api/clients', headers: withKey(key), remoteAddress: '203.0.113.7' });

  const audit = (targetId: string) =>
    t.ctx.database.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId', 'actorIp', 'details'])
      .where('targetId', '=', targetId)
      .orderBy('seq')
      .execute();

  it('is created, used without CSRF, listed without its secret, and revoked for the very next request', async () => {
    const response = await createKey(admin, { name: 'orders import', role: 'operator' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const created = response.json<CreatedKey>();
    expect(created.key).toMatch(/^vxk_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      name: 'orders import',
      role: 'operator',
      createdBy: { id: admin.userId },
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(created.key.startsWith(created.prefix)).toBe(true);

    // Used on a read and on a write (bearer: no CSRF token needed).
    const read = await clientsWith(created.key);
    expect(read.statusCode, read.body).toBe(200);
    const client = await placeOrder(t, operator, {
      clientName: 'Key Client',
      clientPhone: '+7 900 000 11 22',
    });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/clients/${client.clientId}`,
      headers: withKey(created.key),
      payload: { name: 'Renamed by n8n' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // The audit entry names the person behind the key, and the key.
    const [update] = (await audit(client.clientId)).filter((e) => e.action === 'client.update');
    expect(update?.actorUserId).toBe(admin.userId);
    expect(JSON.parse(update?.details ?? '{}')).toMatchObject({ apiKeyId: created.id });

    const list = await t.app.inject({ url: '/api/api-keys', headers: bearer(admin) });
    expect(list.body).not.toContain(created.key);
    expect(list.body).not.toContain(created.key.slice(created.prefix.length));
    const listed = list.json<{ items: (ApiKeyView & Record<string, unknown>)[] }>().items;
    const item = listed.find((k) => k.id === created.id);
    expect(item).toMatchObject({ prefix: created.prefix, lastUsedIp: '203.0.113.7' });
    expect(item?.lastUsedAt).not.toBeNull();
    expect(item).not.toHaveProperty('key');
    expect(item).not.toHaveProperty('keyHash');

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${created.id}`,
      headers: bearer(admin),
    });
    expect(revoke.statusCode).toBe(204);
    const after = await clientsWith(created.key);
    expect(after.statusCode).toBe(401);
    expect(codeOf(after)).toBe('api_key_revoked');
    expect((await listKeys(admin)).find((k) => k.id === created.id)?.revokedAt).not.toBeNull();

    // Revoking again changes nothing; both changes are audited with actor and address.
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${created.id}`,
      headers: bearer(admin),
    });
    expect(again.statusCode).toBe(204);
    const entries = await audit(created.id);
    expect(entries.map((e) => e.action)).toEqual(['api_key.create', 'api_key.revoke']);
    expect(entries.every((e) => e.actorUserId === admin.userId && e.actorIp !== null)).toBe(true);
  });

  it("never grants more than its creator's role", async () => {
    const refused = await createKey(operator, { name: 'escalate', role: 'admin' });
    expect(refused.statusCode).toBe(403);
    expect(codeOf(refused)).toBe('forbidden');

    const operatorKey = await newKey(operator);
    const adminRoute = '/api/clients/01900000-0000-7000-8000-000000000000';
    const denied = await t.app.inject({
      method: 'DELETE',
      url: adminRoute,
      headers: withKey(operatorKey.key),
    });
    expect(denied.statusCode).toBe(403);
    expect(codeOf(denied)).toBe('forbidden');

    // An admin key passes the admin guard (the client does not exist: 404, not 403)…
    const boss = await t.createUser('admin');
    const bossSession = await t.login(boss.username, boss.password);
    const adminKey = await newKey(bossSession, { role: 'admin' });
    const allowed = await t.app.inject({
      method: 'DELETE',
      url: adminRoute,
      headers: withKey(adminKey.key),
    });
    expect(allowed.statusCode).toBe(404);

    // …until its creator is demoted: the key drops to the creator's role at once.
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${bossSession.userId}`,
      headers: bearer(admin),
      payload: { role: 'operator' },
    });
    expect(demote.statusCode, demote.body).toBe(200);
    const capped = await t.app.inject({
      method: 'DELETE',
      url: adminRoute,
      headers: withKey(adminKey.key),
    });
    expect(capped.statusCode).toBe(403);
    expect((await clientsWith(adminKey.key)).statusCode).toBe(200);

    // A disabled creator's keys stop working.
    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${bossSession.userId}`,
      headers: bearer(admin),
      payload: { disabled: true },
    });
    expect(disable.statusCode).toBe(200);
    const gone = await clientsWith(adminKey.key);
    expect(gone.statusCode).toBe(401);
    expect(codeOf(gone)).toBe('api_key_revoked');
  });

  it('lets an operator manage only their own keys; admins see all', async () => {
    const mine = await newKey(operator, { name: 'mine' });
    const theirs = await newKey(admin, { name: 'theirs' });
    const operatorList = await listKeys(operator);
    expect(operatorList.every((k) => k.createdBy.id === operator.userId)).toBe(true);
    expect(operatorList.map((k) => k.id)).toContain(mine.id);
    const adminList = await listKeys(admin);
    expect(adminList.map((k) => k.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));

    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${theirs.id}`,
      headers: bearer(operator),
    });
    expect(foreign.statusCode).toBe(404);
    expect((await clientsWith(theirs.key)).statusCode).toBe(200);
    const adminRevokes = await t.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${mine.id}`,
      headers: bearer(admin),
    });
    expect(adminRevokes.statusCode).toBe(204);
    expect((await clientsWith(mine.key)).statusCode).toBe(401);
  });

  it('cannot manage keys, users or sessions itself', async () => {
    const key = await newKey(admin, { role: 'admin' });
    const attempts = [
      { method: 'GET', url: '/api/api-keys' },
      { method: 'POST', url: '/api/api-keys', payload: { name: 'child', role: 'admin' } },
      { method: 'DELETE', url: `/api/api-keys/${key.id}` },
      { method: 'GET', url: '/api/users' },
      { method: 'GET', url: '/api/auth/sessions' },
      { method: 'POST', url: '/api/auth/sessions/revoke-others' },
      { method: 'POST', url: '/api/auth/logout' },
      {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'x', newPassword: 'y' },
      },
    ] as const;
    for (const attempt of attempts) {
      const response = await t.app.inject({ ...attempt, headers: withKey(key.key) });
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(403);
      expect(codeOf(response)).toBe('api_key_not_allowed');
    }
    expect((await clientsWith(key.key)).statusCode).toBe(200);
  });

  it('expires at its expiry time and refuses an expiry in the past', async () => {
    const past = await createKey(admin, {
      name: 'late',
      role: 'operator',
      expiresAt: new Date(t.clock.now().getTime() - 1000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({
      error: { code: 'validation_failed', details: [{ field: 'expiresAt' }] },
    });

    const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const key = await newKey(admin, { expiresAt });
    expect(key.expiresAt).toBe(expiresAt);
    expect((await clientsWith(key.key)).statusCode).toBe(200);
    t.clock.advance(3_600_000);
    const expired = await clientsWith(key.key);
    expect(expired.statusCode).toBe(401);
    expect(codeOf(expired)).toBe('api_key_expired');
    // The hour also ended the sessions' idle time: the later tests log in afresh.
    admin = await t.loginAs('admin');
    operator = await t.loginAs('operator');
  });

  it('records the last use at most once a minute', async () => {
    const key = await newKey(admin);
    const lastUsed = async () => (await listKeys(admin)).find((k) => k.id === key.id)?.lastUsedAt;
    await clientsWith(key.key);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    t.clock.advance(30_000);
    await clientsWith(key.key);
    expect(await lastUsed()).toBe(first);
    t.clock.advance(31_000);
    await clientsWith(key.key);
    expect(await lastUsed()).toBe(t.clock.now().toISOString());
  });

  it('answers 401 with the usual codes to malformed, unknown and misplaced keys', async () => {
    const unknown = `vxk_${randomBytes(32).toString('base64url')}`;
    const real = await newKey(admin);
    const cases: { headers: Record<string, string>; code: string }[] = [
      { headers: withKey('vxk_'), code: 'invalid_token' },
      { headers: withKey('vxk_short'), code: 'invalid_token' },
      { headers: withKey(`${real.key}x`), code: 'invalid_token' },
      { headers: withKey(unknown), code: 'invalid_token' },
      { headers: { authorization: `Basic ${real.key}` }, code: 'invalid_token' },
      { headers: { authorization: 'Bearer' }, code: 'invalid_token' },
      // A key is a bearer credential only: in the session cookie it is just a bad token.
      { headers: { cookie: `vertex_session=${real.key}` }, code: 'invalid_token' },
      { headers: {}, code: 'unauthenticated' },
    ];
    for (const { headers, code } of cases) {
      const response = await t.app.inject({ url: '/api/clients', headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(codeOf(response)).toBe(code);
    }
  });

  it('validates the body and needs a session to manage keys', async () => {
    const bad = [
      {},
      { name: '', role: 'operator' },
      { name: 'x', role: 'root' },
      { name: 'x', role: 'operator', expiresAt: 'tomorrow' },
    ];
    for (const payload of bad) {
      const response = await createKey(admin, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/api-keys' });
    expect(anonymous.statusCode).toBe(401);
    // A browser session must send its CSRF token to create a key.
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: { cookie: admin.cookie },
      payload: { name: 'x', role: 'operator' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(codeOf(noCsrf)).toBe('csrf_failed');
  });
});
