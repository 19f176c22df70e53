import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { seedOrder, type SeededOrder } from '../support/seed-orders.js';

interface Page {
  items: { id: string; number: string; client: { name: string; phone: string } }[];
  total: number;
}

describe('order search (q): number, client name, phone', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let anna1: SeededOrder;
  let john: SeededOrder;
  let yolka: SeededOrder;
  let anna2: SeededOrder;

  const search = async (q: string, extra = '') => {
    const response = await t.app.inject({
      url: `/api/orders?q=${encodeURIComponent(q)}${extra}`,
      headers: bearer(operator),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>();
  };
  const ids = async (q: string, extra = '') => (await search(q, extra)).items.map((o) => o.id);

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    anna1 = await seedOrder(t, { clientName: 'Анна Петрова', phone: '+79123456789' });
    t.clock.advance(1000);
    john = await seedOrder(t, { clientName: 'John Smith', phone: '+447700900123' });
    t.clock.advance(1000);
    yolka = await seedOrder(t, { clientName: 'Ёлкина Дарья', phone: '+79995550011' });
    t.clock.advance(1000);
    anna2 = await seedOrder(t, {
      clientName: 'Анна Петрова',
      phone: '+79123456789',
      status: 'ready',
    });
  });
  afterAll(() => t.close());

  it('finds an order by its number, whole or typed short', async () => {
    expect(john.number).toBe('VA-000002');
    for (const q of ['VA-000002', 'va-000002', 'VA-2', '000002', ' 2 ']) {
      expect(await ids(q), q).toContain(john.orderId);
    }
    expect(await ids('VA-000002')).toEqual([john.orderId]);
    // "2" is also part of other numbers' phones; the number itself is among the hits.
    expect(await ids('VA-00000')).toHaveLength(4);
  });

  it("finds a client's orders by the Cyrillic name in another case, ё as е", async () => {
    expect(await ids('АННА')).toEqual([anna2.orderId, anna1.orderId]);
    expect(await ids('анна пет')).toEqual([anna2.orderId, anna1.orderId]);
    expect(await ids('ПЕТРОВА')).toEqual([anna2.orderId, anna1.orderId]);
    expect(await ids('елкина')).toEqual([yolka.orderId]);
    expect(await ids('ЁЛКИНА')).toEqual([yolka.orderId]);
    expect(await ids('smith')).toEqual([john.orderId]);
  });

  it('finds orders by phone digits, in any format a person types', async () => {
    for (const q of ['8 912 345-67-89', '+7 (912) 345-67-89', '9123456789', '345-67', '912 345']) {
      expect(await ids(q), q).toEqual([anna2.orderId, anna1.orderId]);
    }
    expect(await ids('+44 7700 900123')).toEqual([john.orderId]);
    expect(await ids('555-00-11')).toEqual([yolka.orderId]);
  });

  it('combines the search with the other filters and pages, and counts the total', async () => {
    expect(await ids('Анна', '&status=ready')).toEqual([anna2.orderId]);
    const firstPage = await search('Анна', '&limit=1');
    expect(firstPage.total).toBe(2);
    expect(firstPage.items.map((o) => o.id)).toEqual([anna2.orderId]);
    expect(await search('Нет такого')).toEqual(expect.objectContaining({ items: [], total: 0 }));
    // LIKE's wildcards are text here, not patterns.
    expect((await search('%')).total).toBe(0);
    expect((await search('_')).total).toBe(0);
  });

  it('refuses a search that is too long or holds control characters', async () => {
    for (const q of ['x'.repeat(101), 'Анна\u0000']) {
      const response = await t.app.inject({
        url: `/api/orders?q=${encodeURIComponent(q)}`,
        headers: bearer(operator),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
  });
});
