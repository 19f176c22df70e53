import { readFile } from 'node:fs/promises';
import type { LightMyRequestResponse } from 'fastify';
import { makePortraitFixture } from '../fixtures/portrait.js';
import { videoFixture } from '../fixtures/media.js';
import { bearer, type LoggedIn, type TestApp } from './app.js';
import { multipartBody, type FilePart } from './multipart.js';

let portraitBytes: Promise<Buffer> | undefined;
/** The feature-rich fixture portrait (made once per test process). */
export function fixturePortrait(): Promise<Buffer> {
  portraitBytes ??= makePortraitFixture();
  return portraitBytes;
}

export async function fixtureParts(): Promise<{ portrait: FilePart; video: FilePart }> {
  return {
    portrait: {
      content: await fixturePortrait(),
      filename: 'portrait.jpg',
      contentType: 'image/jpeg',
    },
    video: {
      content: await readFile(await videoFixture()),
      filename: 'clip.mp4',
      contentType: 'video/mp4',
    },
  };
}

/** `POST /api/orders` with the given parts (defaults: the fixture pair and a valid client). */
export async function postOrder(
  t: TestApp,
  session: LoggedIn,
  overrides: {
    fields?: Record<string, string>;
    files?: Record<string, FilePart>;
    headers?: Record<string, string>;
  } = {},
): Promise<LightMyRequestResponse> {
  const body = multipartBody(
    overrides.fields ?? { clientName: 'Anna Petrova', clientPhone: '+7 (999) 123-45-67' },
    overrides.files ?? (await fixtureParts()),
  );
  return t.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: { ...body.headers, ...bearer(session), ...overrides.headers },
    payload: body.payload,
  });
}

export interface OrderIds {
  orderId: string;
  clientId: string;
  portraitId: string;
  slug: string;
  videoId: string;
}

/** Places an order with the fixture media for this client; expects 202 and returns the ids. */
export async function placeOrder(
  t: TestApp,
  session: LoggedIn,
  client: { clientName: string; clientPhone: string; clientEmail?: string },
): Promise<OrderIds> {
  const fields: Record<string, string> = {
    clientName: client.clientName,
    clientPhone: client.clientPhone,
  };
  if (client.clientEmail !== undefined) fields.clientEmail = client.clientEmail;
  const response = await postOrder(t, session, { fields });
  if (response.statusCode !== 202)
    throw new Error(`order refused: ${response.statusCode} ${response.body}`);
  const body = response.json<{
    order: { id: string };
    client: { id: string };
    portrait: { id: string; slug: string };
    video: { id: string };
  }>();
  return {
    orderId: body.order.id,
    clientId: body.client.id,
    portraitId: body.portrait.id,
    slug: body.portrait.slug,
    videoId: body.video.id,
  };
}

/** Every stored key under the domain prefixes (originals, derived files, markers). */
export async function storedKeys(t: TestApp): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of ['portraits/', 'videos/', 'markers/']) {
    for await (const item of t.ctx.storage.list(prefix)) keys.push(item.key);
  }
  return keys;
}

/** Row counts of the domain tables. */
export async function domainRowCounts(t: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['clients', 'portraits', 'videos', 'markers', 'orders', 'jobs'] as const) {
    const row = await t.ctx.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = row.n;
  }
  return counts;
}
