import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/shared/ids.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { domainRowCounts, placeOrder, postOrder, type OrderIds } from '../support/studio.js';

/**
 * Issue 12, phone numbers as Russians write them: one client whatever the format, search in
 * any format and by e-mail, the collisions the phone migration leaves, and merging them.
 */

interface ClientItem {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  portraitCount: number;
}
interface Collisions {
  groups: { phone: string; holder: ClientItem; duplicates: ClientItem[] }[];
}
interface ErrorAnswer {
  error: { code: string; details?: { field: string; message: string }[] };
}

const UNKNOWN = '01900000-0000-7000-8000-000000000000';

describe('client phone numbers', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let first: OrderIds;

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  const get = async <T>(url: string) => {
    const response = await t.app.inject({ url, headers: bearer(operator) });
    return { status: response.statusCode, body: response.json<T>() };
  };
  const search = async (q: string) =>
    (await get<{ items: ClientItem[] }>(`/api/clients?q=${encodeURIComponent(q)}`)).body.items;
  const merge = (id: string, intoId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/clients/${id}/merge`,
      headers: bearer(operator),
      payload: { intoId },
    });
  /** A client row as an older version stored it (phone as typed minus punctuation). */
  const insertOldClient = async (name: string, phone: string, createdAt: string) => {
    const id = uuidv7();
    await t.ctx.database.db
      .insertInto('clients')
      .values({ id, name, phone, email: null, createdAt, updatedAt: createdAt })
      .execute();
    return id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    first = await placeOrder(t, operator, {
      clientName: 'Мария Смирнова',
      clientPhone: '+79123456789',
      clientEmail: 'Maria.Smirnova@Example.ru',
    });
  });
  afterAll(() => t.close());

  it('stores E.164 and finds the same client for "8 (912) 345-67-89"', async () => {
    const second = await placeOrder(t, operator, {
      clientName: 'Мария С.',
      clientPhone: '8 (912) 345-67-89',
    });
    expect(second.clientId).toBe(first.clientId);
    const third = await placeOrder(t, operator, {
      clientName: 'Мария',
      clientPhone: '912 345-67-89',
    });
    expect(third.clientId).toBe(first.clientId);
    const { body } = await get<ClientItem>(`/api/clients/${first.clientId}`);
    expect(body).toMatchObject({ phone: '+79123456789', portraitCount: 3 });
  });

  it('finds the client by the phone in any format and by part of the e-mail, any case', async () => {
    for (const q of ['8 912 345-67-89', '+7 912 345 67 89', '8 (912) 345', '345-67-89']) {
      expect(
        (await search(q)).map((c) => c.id),
        q,
      ).toEqual([first.clientId]);
    }
    for (const q of ['smirnova@', 'MARIA.SMIR', 'example.ru']) {
      expect(
        (await search(q)).map((c) => c.id),
        q,
      ).toEqual([first.clientId]);
    }
    expect(await search('8 913 345-67-89')).toEqual([]);
  });

  it('keeps a number of another country typed with +', async () => {
    const london = await placeOrder(t, operator, {
      clientName: 'John Smith',
      clientPhone: '+44 20 7946 0000',
    });
    const { body } = await get<ClientItem>(`/api/clients/${london.clientId}`);
    expect(body.phone).toBe('+442079460000');
  });

  it('refuses an invalid number with 400 validation_failed naming the field, leaving nothing', async () => {
    const before = await domainRowCounts(t);
    for (const clientPhone of ['8 912 345-67-8', '12345', 'позвонить']) {
      const response = await postOrder(t, operator, {
        fields: { clientName: 'Никто', clientPhone },
      });
      expect(response.statusCode, clientPhone).toBe(400);
      const body = response.json<ErrorAnswer>();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details?.map((d) => d.field)).toEqual(['clientPhone']);
    }
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/clients/${first.clientId}`,
      headers: bearer(operator),
      payload: { phone: '8 912 345-67-8' },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json<ErrorAnswer>().error.details?.[0]?.field).toBe('phone');
    expect(await domainRowCounts(t)).toEqual(before);
  });

  it('lists clients left with an old form of a number another client holds, and merges them', async () => {
    const clean = await get<Collisions>('/api/clients/collisions');
    expect(clean).toEqual({ status: 200, body: { groups: [] } });

    // As migration 0013 leaves them: the holder has E.164, the others their old value.
    const older = await insertOldClient(
      'Мария (старая карточка)',
      '89123456789',
      '2020-01-01T00:00:00.000Z',
    );
    const oldest = await insertOldClient('М. Смирнова', '9123456789', '2019-01-01T00:00:00.000Z');
    await insertOldClient('Не номер', '12345', '2019-06-01T00:00:00.000Z'); // invalid: no collision
    const { body } = await get<Collisions>('/api/clients/collisions');
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0]?.phone).toBe('+79123456789');
    expect(body.groups[0]?.holder).toMatchObject({ id: first.clientId, portraitCount: 3 });
    expect(body.groups[0]?.duplicates.map((c) => [c.id, c.phone])).toEqual([
      [oldest, '9123456789'],
      [older, '89123456789'],
    ]);

    const merged = await merge(older, first.clientId);
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json<ClientItem>()).toMatchObject({ id: first.clientId, phone: '+79123456789' });
    expect((await get(`/api/clients/${older}`)).status).toBe(404);
    const after = await get<Collisions>('/api/clients/collisions');
    expect(after.body.groups[0]?.duplicates.map((c) => c.id)).toEqual([oldest]);
  });
});

describe('POST /api/clients/{id}/merge', () => {
  let t: TestApp;
  let operator: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
  });
  afterAll(() => t.close());

  const merge = (id: string, intoId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/clients/${id}/merge`,
      headers: { ...bearer(operator), 'x-forwarded-for': '192.0.2.10' },
      payload: { intoId },
    });

  it('moves the orders and portraits into the other client, deletes it, and audits it', async () => {
    const kept = await placeOrder(t, operator, {
      clientName: 'Ольга',
      clientPhone: '+7 900 111-22-33',
    });
    const gone = await placeOrder(t, operator, {
      clientName: 'Ольга Н.',
      clientPhone: '+7 900 111-22-34',
      clientEmail: 'olga@example.ru',
    });
    const goneAgain = await placeOrder(t, operator, {
      clientName: 'Ольга Н.',
      clientPhone: '+7 900 111-22-34',
    });
    const setNotes = (clientId: string, notes: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/clients/${clientId}/notes`,
        headers: { ...bearer(operator), 'x-csrf-token': operator.csrfToken },
        payload: { notes },
      });
    expect((await setNotes(kept.clientId, 'Постоянный клиент')).statusCode).toBe(200);
    expect((await setNotes(gone.clientId, 'Просила рамку')).statusCode).toBe(200);
    const countsBefore = await domainRowCounts(t);

    const response = await merge(gone.clientId, kept.clientId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: kept.clientId,
      phone: '+79001112233',
      email: 'olga@example.ru', // the kept client had none
      portraitCount: 3,
      notes: 'Постоянный клиент\n\nПросила рамку', // the merged client's notes are kept
    });

    const db = t.ctx.database.db;
    const orders = await db
      .selectFrom('orders')
      .select(['id', 'clientId'])
      .where('id', 'in', [kept.orderId, gone.orderId, goneAgain.orderId])
      .execute();
    expect(orders.map((o) => o.clientId)).toEqual([kept.clientId, kept.clientId, kept.clientId]);
    const portraits = await db
      .selectFrom('portraits')
      .select('clientId')
      .where('id', 'in', [gone.portraitId, goneAgain.portraitId])
      .execute();
    expect(portraits.map((p) => p.clientId)).toEqual([kept.clientId, kept.clientId]);
    expect(
      await db.selectFrom('clients').select('id').where('id', '=', gone.clientId).execute(),
    ).toEqual([]);
    // Only the client row went: nothing of theirs was cascaded away.
    expect(await domainRowCounts(t)).toEqual({
      ...countsBefore,
      clients: (countsBefore.clients ?? 0) - 1,
    });

    const audit = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'client.merge')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: operator.userId,
      targetType: 'client',
      targetId: gone.clientId,
    });
    expect(JSON.parse(String(audit[0]?.details))).toMatchObject({
      intoClientId: kept.clientId,
      portraits: 2,
      orders: 2,
      fields: ['email', 'notes'],
    });
  });

  it('answers 404 for an unknown client on either side and 400 for a merge into itself', async () => {
    const one = await placeOrder(t, operator, {
      clientName: 'Игорь',
      clientPhone: '+7 900 555-66-77',
    });
    const before = await domainRowCounts(t);
    for (const [id, intoId] of [
      [UNKNOWN, one.clientId],
      [one.clientId, UNKNOWN],
    ] as const) {
      const response = await merge(id, intoId);
      expect(response.statusCode).toBe(404);
      expect(response.json<ErrorAnswer>().error.code).toBe('not_found');
    }
    const self = await merge(one.clientId, one.clientId);
    expect(self.statusCode).toBe(400);
    expect(self.json<ErrorAnswer>().error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'intoId', message: 'must be another client' }],
    });
    const noBody = await t.app.inject({
      method: 'POST',
      url: `/api/clients/${one.clientId}/merge`,
      headers: bearer(operator),
      payload: {},
    });
    expect(noBody.statusCode).toBe(400);
    expect(await domainRowCounts(t)).toEqual(before);
  });
});
