import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { seedOrder, type SeededOrder } from '../support/seed-orders.js';

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

describe('notes on orders and clients', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let order: SeededOrder;

  const put = (url: string, payload: unknown) =>
    t.app.inject({
      method: 'PUT',
      url,
      headers: { ...bearer(operator), 'x-csrf-token': operator.csrfToken },
      payload: payload as Record<string, unknown>,
    });
  const get = async <T>(url: string) => {
    const response = await t.app.inject({ url, headers: bearer(operator) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };
  const notesEntries = (action: string, targetId: string) =>
    t.ctx.database.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'targetType', 'targetId', 'details'])
      .where('action', '=', action)
      .where('targetId', '=', targetId)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    order = await seedOrder(t, { clientName: 'Мария Иванова', phone: '+79001112233' });
  });
  afterAll(() => t.close());

  const targets = () =>
    [
      {
        name: 'order',
        notesUrl: `/api/orders/${order.orderId}/notes`,
        detailUrl: `/api/orders/${order.orderId}`,
        action: 'order.notes.set',
        id: order.orderId,
      },
      {
        name: 'client',
        notesUrl: `/api/clients/${order.clientId}/notes`,
        detailUrl: `/api/clients/${order.clientId}`,
        action: 'client.notes.set',
        id: order.clientId,
      },
    ] as const;

  it('has no note at first', async () => {
    for (const target of targets()) {
      expect((await get<{ notes: string | null }>(target.detailUrl)).notes).toBeNull();
    }
  });

  it('sets a note of several lines, Cyrillic kept, shown in the detail and audited', async () => {
    for (const target of targets()) {
      const text = 'Забрать в пятницу;\r\nпечать 13×18 «матовая»   \n';
      const response = await put(target.notesUrl, { notes: text });
      expect(response.statusCode, response.body).toBe(200);
      const stored = 'Забрать в пятницу;\nпечать 13×18 «матовая»';
      expect(response.json()).toEqual({ notes: stored });
      expect((await get<{ notes: string | null }>(target.detailUrl)).notes).toBe(stored);

      const entries = await notesEntries(target.action, target.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actorUserId: operator.userId, targetType: target.name });
      // The length is recorded, not the words (a note may hold personal details).
      expect(JSON.parse(entries[0]?.details ?? '{}')).toEqual({
        cleared: false,
        length: stored.length,
      });

      // The same text again changes nothing and records nothing.
      expect((await put(target.notesUrl, { notes: stored })).statusCode).toBe(200);
      expect(await notesEntries(target.action, target.id)).toHaveLength(1);
    }
  });

  it('refuses a note that is too long or holds control characters, and keeps the old one', async () => {
    for (const target of targets()) {
      const before = (await get<{ notes: string | null }>(target.detailUrl)).notes;
      for (const notes of ['я'.repeat(2001), 'bell\u0007', 'rtl \u202Eexe.txt']) {
        const response = await put(target.notesUrl, { notes });
        expect(response.statusCode, notes.slice(0, 20)).toBe(400);
        expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
      }
      expect((await get<{ notes: string | null }>(target.detailUrl)).notes).toBe(before);
      expect(await notesEntries(target.action, target.id)).toHaveLength(1);
      // Exactly at the limit is fine.
      const full = await put(target.notesUrl, { notes: 'я'.repeat(2000) });
      expect(full.statusCode, full.body).toBe(200);
    }
  });

  it('clears the note with null or blank text, audited as cleared', async () => {
    for (const target of targets()) {
      expect((await put(target.notesUrl, { notes: '   \n ' })).json()).toEqual({ notes: null });
      expect((await get<{ notes: string | null }>(target.detailUrl)).notes).toBeNull();
      const entries = await notesEntries(target.action, target.id);
      expect(JSON.parse(entries.at(-1)?.details ?? '{}')).toEqual({ cleared: true, length: 0 });
      await put(target.notesUrl, { notes: 'x' });
      expect((await put(target.notesUrl, { notes: null })).json()).toEqual({ notes: null });
      expect((await get<{ notes: string | null }>(target.detailUrl)).notes).toBeNull();
    }
  });

  it('answers 404 for an unknown order or client, 400 for a missing field', async () => {
    for (const url of [`/api/orders/${UNKNOWN_ID}/notes`, `/api/clients/${UNKNOWN_ID}/notes`]) {
      const response = await put(url, { notes: 'x' });
      expect(response.statusCode).toBe(404);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('not_found');
      expect((await put(url, {})).statusCode).toBe(400);
    }
  });

  it('is for signed-in people only', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: `/api/orders/${order.orderId}/notes`,
      payload: { notes: 'x' },
    });
    expect(response.statusCode).toBe(401);
  });
});
