import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../infra/storage/index.js';
import { storageKey } from '../../infra/storage/storage.js';
import { storageMarkerFileSource } from './marker-file-source.js';

describe('storageMarkerFileSource', () => {
  let root: string;
  let storage: LocalStorage;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'vtest-markers-'));
    storage = new LocalStorage(root);
    await storage.put(storageKey('markers', 'p1', '2', 'marker.fset3'), Buffer.from('fset3 bytes'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const source = () =>
    storageMarkerFileSource(storage, (id, version, ext) =>
      /^\d+$/.test(version) ? storageKey('markers', id, version, `marker.${ext}`) : null,
    );

  it('streams a stored marker file with a stable ETag', async () => {
    const file = await source().open('p1', '2', 'fset3');
    expect(file).not.toBeNull();
    expect(file?.size).toBe(11);
    expect(file?.etag).toBe('"m-p1-2-fset3"');
    const chunks: Buffer[] = [];
    for await (const chunk of file?.body as Readable) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('fset3 bytes');
  });

  it('answers null for a missing file or an impossible version', async () => {
    expect(await source().open('p1', '2', 'iset')).toBeNull();
    expect(await source().open('p1', 'x', 'fset3')).toBeNull();
  });
});
