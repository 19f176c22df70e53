import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';

interface Entry {
  id: string;
  seq: number;
  at: string;
  actor: {
    kind: 'user' | 'api_key' | 'anonymous' | 'system';
    userId: string | null;
    username: string | null;
    apiKeyId: string | null;
    apiKeyName: string | null;
  };
  action: string;
  entity: { type: string; id: string | null } | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}
interface Page {
  items: Entry[];
  total: number;
  limit: number;
  offset: number;
}

const ADMIN_IP = '198.51.100.20';
const STRANGER_IP = '203.0.113.9';
const STEP_MS = 10 * 60_000; // under the 30-minute idle timeout: sessions stay alive

/**
 * `GET /api/audit` and `GET /api/audit/verify` on the backend under test: who may read the log,
 * what an entry shows (actor, entity, address, details without secrets), every filter and its
 * refusals, pages, and the chain check before and after a row is edited in the database.
 */
describe('audit log API', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let adminName: string;
  let operator: LoggedIn;
  let aliceId: string;
  let bobId: string;
  let apiKey: { id: string; key: string };
  /** The clock between the second and the third step. */
  let middle: Date;

  const list = (query: string, headers: Record<string, string> = bearer(admin)) =>
    t.app.inject({ url: `/api/audit${query}`, headers });
  async function page(query: string): Promise<Page> {
    const response = await list(query);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>();
  }
  const asAdmin = (method: 'POST' | 'PATCH', url: string, payload: object) =>
    t.app.inject({ method, url, payload, headers: bearer(admin), remoteAddress: ADMIN_IP });
  const codeOf = (response: LightMyRequestResponse) =>
    response.json<{ error: { code: string } }>().error.code;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false', BACKUP_ENCRYPTION: 'none' });
    // Step 1: the first admin (created by the system, as the CLI would) logs in.
    const adminUser = await t.createUser('admin');
    adminName = adminUser.username;
    admin = await t.login(adminUser.username, adminUser.password);
    operator = await t.loginAs('operator');

    // Step 2: the admin creates two users from their own address; a stranger guesses logins.
    t.clock.advance(STEP_MS);
    const created: string[] = [];
    for (const username of ['alice', 'bob']) {
      const response = await asAdmin('POST', '/api/users', {
        username,
        password: 'quiet-river-stone-77',
        role: 'operator',
      });
      expect(response.statusCode, response.body).toBe(201);
      created.push(response.json<{ id: string }>().id);
    }
    [aliceId = '', bobId = ''] = created;
    for (const username of ['nobody', 'alice']) {
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'guessed-wrong' },
        remoteAddress: STRANGER_IP,
      });
      expect(refused.statusCode).toBe(401);
    }

    // Step 3: bob is disabled, and an integration starts a backup with an admin API key.
    t.clock.advance(STEP_MS / 2);
    middle = t.clock.now();
    t.clock.advance(STEP_MS / 2);
    expect((await asAdmin('PATCH', `/api/users/${bobId}`, { disabled: true })).statusCode).toBe(
      200,
    );
    const key = await asAdmin('POST', '/api/api-keys', { name: 'monitor', role: 'admin' });
    expect(key.statusCode, key.body).toBe(201);
    apiKey = key.json<{ id: string; key: string }>();
    const backup = await t.app.inject({
      method: 'POST',
      url: '/api/backups',
      headers: { authorization: `Bearer ${apiKey.key}` },
      remoteAddress: '192.0.2.50',
    });
    expect(backup.statusCode, backup.body).toBe(202);
  });
  afterAll(() => t.close());

  it('is for admins only', async () => {
    for (const url of ['/api/audit', '/api/audit/verify']) {
      const anonymous = await t.app.inject({ url });
      expect(anonymous.statusCode, url).toBe(401);
      const refused = await t.app.inject({ url, headers: bearer(operator) });
      expect(refused.statusCode, url).toBe(403);
      expect(codeOf(refused), url).toBe('forbidden');
    }
    // An admin API key may read it (monitoring); the read itself is not an entry.
    const before = (await page('')).total;
    const byKey = await list('', { authorization: `Bearer ${apiKey.key}` });
    expect(byKey.statusCode, byKey.body).toBe(200);
    expect((await page('')).total).toBe(before);
  });

  it('lists every entry newest first, each with actor, entity, address and details', async () => {
    const all = await page('?limit=100');
    const rows = await t.ctx.database.db.selectFrom('auditLog').select('seq').execute();
    expect(all.total).toBe(rows.length);
    expect(all.items).toHaveLength(rows.length);
    const seqs = all.items.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(all.items[0]?.action).toBe('backup.create_requested');

    const byAction = (action: string) => all.items.filter((e) => e.action === action);
    expect(byAction('user.create').find((e) => e.entity?.id === aliceId)).toEqual({
      id: expect.any(String) as string,
      seq: expect.any(Number) as number,
      at: expect.any(String) as string,
      actor: {
        kind: 'user',
        userId: admin.userId,
        username: adminName,
        apiKeyId: null,
        apiKeyName: null,
      },
      action: 'user.create',
      entity: { type: 'user', id: aliceId },
      ip: ADMIN_IP,
      details: { username: 'alice', role: 'operator' },
    });
    // The first admin was made by the server itself (no user, no address).
    expect(byAction('user.create').at(-1)?.actor).toMatchObject({ kind: 'system', userId: null });

    const failed = byAction('auth.login_failed');
    expect(failed).toHaveLength(2);
    const [onAlice, onNobody] = failed;
    expect(onAlice).toMatchObject({
      actor: { kind: 'user', userId: aliceId, username: 'alice' },
      ip: STRANGER_IP,
    });
    // A name that names nobody is never stored as typed: a keyed hash of it.
    expect(onNobody).toMatchObject({ actor: { kind: 'anonymous', userId: null }, ip: STRANGER_IP });
    expect(onNobody?.details).toEqual({ usernameHash: expect.any(String) as string });

    expect(byAction('backup.create_requested')[0]).toMatchObject({
      actor: {
        kind: 'api_key',
        userId: admin.userId,
        username: adminName,
        apiKeyId: apiKey.id,
        apiKeyName: 'monitor',
      },
      entity: { type: 'backup', id: null },
      ip: '192.0.2.50',
    });
  });

  it('filters by actor (id or username), action or area, entity and time', async () => {
    const all = (await page('?limit=100')).items;
    const ids = (items: Entry[]) => items.map((e) => e.id);

    const byId = await page(`?actor=${admin.userId}&limit=100`);
    expect(byId.total).toBeGreaterThan(3);
    expect(byId.items.every((e) => e.actor.userId === admin.userId)).toBe(true);
    expect(ids(byId.items)).toEqual(ids(all.filter((e) => e.actor.userId === admin.userId)));
    // Usernames are case-insensitive, as at login.
    const byName = await page(`?actor=${adminName.toUpperCase()}&limit=100`);
    expect(ids(byName.items)).toEqual(ids(byId.items));
    expect((await page('?actor=no-such-user')).total).toBe(0);

    const creates = await page('?action=user.create&limit=100');
    expect(creates.items.map((e) => e.action)).toEqual([
      'user.create',
      'user.create',
      'user.create',
      'user.create',
    ]);
    const auth = await page('?action=auth.*&limit=100');
    expect(auth.items.every((e) => e.action.startsWith('auth.'))).toBe(true);
    expect(new Set(auth.items.map((e) => e.action))).toEqual(
      new Set(['auth.login', 'auth.login_failed']),
    );
    // `_` is an action's letter, not a wildcard.
    expect((await page('?action=api_key.*')).items.map((e) => e.action)).toEqual([
      'api_key.create',
    ]);
    expect((await page('?action=api.*')).total).toBe(0);

    const bob = await page(`?entityType=user&entityId=${bobId}`);
    expect(bob.items.map((e) => e.action)).toEqual(['user.update', 'user.create']);
    expect((await page(`?entityId=${bobId}`)).total).toBe(2);
    expect((await page(`?entityType=session&entityId=${bobId}`)).total).toBe(0);

    const late = await page(`?from=${middle.toISOString()}&limit=100`);
    expect(late.items.map((e) => e.action)).toEqual([
      'backup.create_requested',
      'api_key.create',
      'user.update',
    ]);
    const early = await page(`?to=${middle.toISOString()}&limit=100`);
    expect(early.total + late.total).toBe(all.length);
    expect(early.items.every((e) => e.at <= middle.toISOString())).toBe(true);
    // A time with an offset means the same instant.
    const offset = middle.toISOString().replace('Z', '+00:00');
    expect((await page(`?from=${encodeURIComponent(offset)}`)).total).toBe(late.total);

    const combined = await page(
      `?actor=${adminName}&action=user.*&to=${encodeURIComponent(middle.toISOString())}`,
    );
    expect(combined.items.map((e) => e.entity?.id)).toEqual([bobId, aliceId]);
  });

  it('refuses bad filters with 400 validation_failed naming the parameter', async () => {
    const cases: [string, string][] = [
      ['?user=alice', ''], // not a filter: a typo must not show the whole log
      ['?action=User%20Create', '/action'],
      ['?action=auth.*.x', '/action'],
      ['?entityType=Users', '/entityType'],
      ['?entityId=a%00b', '/entityId'],
      ['?actor=', '/actor'],
      ['?from=yesterday', '/from'],
      ['?to=2026-13-01T00:00:00Z', '/to'],
      ['?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z', '/to'],
      ['?limit=0', '/limit'],
      ['?limit=101', '/limit'],
      ['?offset=-1', '/offset'],
    ];
    for (const [query, path] of cases) {
      const response = await list(query);
      expect(response.statusCode, query).toBe(400);
      const body = response.json<{ error: { code: string; details?: { path?: string }[] } }>();
      expect(body.error.code, query).toBe('validation_failed');
      if (path !== '') expect(body.error.details?.[0]?.path, query).toBe(path);
    }
  });

  it('pages through the log without gaps or repeats', async () => {
    const all = await page('?limit=100');
    const seen: Entry[] = [];
    for (let offset = 0; offset < all.total; offset += 3) {
      const next = await page(`?limit=3&offset=${offset}`);
      expect(next).toMatchObject({ total: all.total, limit: 3, offset });
      expect(next.items.length).toBe(Math.min(3, all.total - offset));
      seen.push(...next.items);
    }
    expect(seen.map((e) => e.id)).toEqual(all.items.map((e) => e.id));
    expect((await page(`?limit=3&offset=${all.total}`)).items).toEqual([]);
    expect((await page('?action=user.create&limit=2&offset=2')).items.map((e) => e.seq)).toEqual(
      (await page('?action=user.create')).items.slice(2, 4).map((e) => e.seq),
    );
  });

  it('never shows a password, a key or a secret-looking field', async () => {
    await t.ctx.services.auditService.record({
      action: 'test.secret_shaped',
      details: { password: 'hunter2-hunter2', nested: { token: 'abc', keep: 1 }, apiKeyId: 'k' },
    });
    const body = (await list('?limit=100')).body;
    for (const secret of ['hunter2-hunter2', 'quiet-river-stone-77', apiKey.key]) {
      expect(body).not.toContain(secret);
    }
    const [entry] = (await page('?action=test.secret_shaped')).items;
    expect(entry?.details).toEqual({
      password: '[redacted]',
      nested: { token: '[redacted]', keep: 1 },
      apiKeyId: 'k',
    });
  });

  it('verifies the chain, then names the first entry edited in the database', async () => {
    const verify = async () => {
      const response = await t.app.inject({ url: '/api/audit/verify', headers: bearer(admin) });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<Record<string, unknown>>();
    };
    const rows = await t.ctx.database.db
      .selectFrom('auditLog')
      .select(['id', 'seq', 'at', 'hash', 'actorIp'])
      .orderBy('seq')
      .execute();
    const newest = rows.at(-1);
    expect(await verify()).toEqual({
      ok: true,
      checked: rows.length,
      lastSeq: newest?.seq,
      lastHash: newest?.hash,
    });

    // Someone with database access changes where an action came from.
    const victimIndex = Math.floor(rows.length / 2);
    const victim = rows[victimIndex];
    if (victim === undefined) throw new Error('no entries');
    await t.ctx.database.db
      .updateTable('auditLog')
      .set({ actorIp: '10.6.6.6' })
      .where('id', '=', victim.id)
      .execute();
    expect(await verify()).toEqual({
      ok: false,
      checked: victimIndex,
      firstBrokenId: victim.id,
      firstBrokenSeq: victim.seq,
      at: victim.at,
      reason: 'edited',
    });

    // Put back, the chain holds again; an entry removed breaks the link of the one after it.
    await t.ctx.database.db
      .updateTable('auditLog')
      .set({ actorIp: victim.actorIp })
      .where('id', '=', victim.id)
      .execute();
    expect(await verify()).toMatchObject({ ok: true, checked: rows.length });
    await t.ctx.database.db.deleteFrom('auditLog').where('id', '=', victim.id).execute();
    const after = rows[victimIndex + 1];
    expect(await verify()).toEqual({
      ok: false,
      checked: victimIndex,
      firstBrokenId: after?.id,
      firstBrokenSeq: after?.seq,
      at: after?.at,
      reason: 'unlinked',
    });
  });
});
