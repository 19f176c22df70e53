import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import type { FilePart } from '../support/multipart.js';
import { domainRowCounts, fixtureParts, postOrder } from '../support/studio.js';

/**
 * `POST /api/orders` with an `Idempotency-Key` (bulk orders resume after a network drop): the
 * same request again answers the first reply and creates nothing; the key with another body is
 * refused with a code; keys are per user; a bad key is refused before the upload is read.
 */
describe('POST /api/orders with Idempotency-Key', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let admin: LoggedIn;
  let files: { portrait: FilePart; video: FilePart };
  const fields = { clientName: 'Ivan Ivanov', clientPhone: '+1 202 555 0147' };

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    admin = await t.loginAs('admin');
    files = await fixtureParts();
  });
  afterAll(() => t.close());

  const grown = (
    after: Record<string, number>,
    before: Record<string, number>,
    table: 'orders' | 'portraits' | 'jobs',
  ) => (after[table] ?? 0) - (before[table] ?? 0);

  const send = (session: LoggedIn, key: string, body = { fields, files }) =>
    postOrder(t, session, { ...body, headers: { 'idempotency-key': key } });

  it('creates one order for the same key sent twice and answers the same both times', async () => {
    const before = await domainRowCounts(t);
    const first = await send(operator, 'bulk-1-ivanov');
    expect(first.statusCode, first.body).toBe(202);
    const again = await send(operator, 'bulk-1-ivanov');
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json()).toEqual(first.json());
    const after = await domainRowCounts(t);
    expect(grown(after, before, 'orders')).toBe(1);
    expect(grown(after, before, 'portraits')).toBe(1);
    expect(grown(after, before, 'jobs')).toBe(3);
  });

  it('refuses the same key with another body (422 idempotency_key_reused), leaving nothing', async () => {
    const first = await send(operator, 'bulk-1-petrov', {
      fields: { ...fields, clientName: 'Petr Petrov' },
      files,
    });
    expect(first.statusCode, first.body).toBe(202);
    const before = await domainRowCounts(t);
    const other = await send(operator, 'bulk-1-petrov', {
      fields: { ...fields, clientName: 'Someone Else' },
      files,
    });
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json()).toMatchObject({
      error: {
        code: 'idempotency_key_reused',
        details: { orderId: first.json<{ order: { id: string } }>().order.id },
      },
    });
    expect(await domainRowCounts(t)).toEqual(before);
  });

  it('keeps keys per user and still creates one order per key when two repeats race', async () => {
    const before = await domainRowCounts(t);
    const mine = await send(operator, 'shared-key');
    const theirs = await send(admin, 'shared-key');
    expect([mine.statusCode, theirs.statusCode]).toEqual([202, 202]);
    expect(theirs.json<{ order: { id: string } }>().order.id).not.toBe(
      mine.json<{ order: { id: string } }>().order.id,
    );
    const raced = await Promise.all([send(operator, 'race-key'), send(operator, 'race-key')]);
    expect(raced.map((r) => r.statusCode)).toEqual([202, 202]);
    expect(raced[1].json()).toEqual(raced[0].json());
    expect(grown(await domainRowCounts(t), before, 'orders')).toBe(3);
  });

  it('refuses a malformed key with 400 and creates nothing', async () => {
    const before = await domainRowCounts(t);
    const bad = await send(operator, 'x'.repeat(201));
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(await domainRowCounts(t)).toEqual(before);
  });
});
