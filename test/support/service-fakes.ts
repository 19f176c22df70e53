import type { Readable } from 'node:stream';
import type { PortraitRow } from '../../src/modules/portraits/portraits.repo.js';

/** The instant service unit tests run at. */
export const FAKE_NOW = new Date('2026-03-01T10:00:00.000Z');

/** The bytes a service handed to storage (a stream or a buffer). */
export async function readAll(body: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A ready portrait row, as the portraits repo returns it. */
export const portraitRow = (id: string, overrides: Partial<PortraitRow> = {}): PortraitRow => ({
  id,
  clientId: 'client-1',
  slug: 'slug-1',
  status: 'ready',
  error: null,
  originalKey: `portraits/${id}/original.jpg`,
  originalFormat: 'jpeg',
  originalSize: 1000,
  width: 800,
  height: 600,
  imagesReadyAt: FAKE_NOW.toISOString(),
  imagesError: null,
  markerVersion: 1,
  imageVersion: 1,
  viewCount: 0,
  createdAt: FAKE_NOW.toISOString(),
  updatedAt: FAKE_NOW.toISOString(),
  ...overrides,
});
