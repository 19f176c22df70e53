import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTopLevelAtoms } from './mp4-atoms.js';
import { durationsAgree } from './video-integrity.js';

const box = (type: string, size: number, body = size - 8): Buffer => {
  const bytes = Buffer.alloc(8 + body);
  bytes.writeUInt32BE(size, 0);
  bytes.write(type, 4, 'latin1');
  return bytes;
};

describe('durationsAgree', () => {
  it.each([
    [4, 4, true],
    [4, 5.9, true], // audio a little longer than the picture, a trimmed edit list
    [60, 65, true],
    [5, 3600, false], // a header that hides an hour of frames
    [200, 4, false],
    [100, 115, false],
  ])('%s s and %s s: %s', (a, b, agree) => {
    expect(durationsAgree(a, b)).toBe(agree);
    expect(durationsAgree(b, a)).toBe(agree);
  });
});

describe('scanTopLevelAtoms', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vtest-atoms-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const scan = async (name: string, ...boxes: Buffer[]) => {
    const file = path.join(dir, name);
    await writeFile(file, Buffer.concat(boxes));
    return scanTopLevelAtoms(file);
  };

  it('reads a whole file as not truncated', async () => {
    const result = await scan('whole.mp4', box('ftyp', 24), box('moov', 100), box('mdat', 1000));
    expect(result.truncated).toBe(false);
    expect(result.atoms.map((atom) => atom.type)).toEqual(['ftyp', 'moov', 'mdat']);
  });

  it('reports media data that stops before its box says it ends', async () => {
    const result = await scan('cut.mp4', box('ftyp', 24), box('moov', 100), box('mdat', 1000, 300));
    expect(result).toMatchObject({ truncated: true, atoms: [{ type: 'ftyp' }, { type: 'moov' }] });
  });

  it('does not call junk after a valid header truncation (it is unreadable)', async () => {
    const junk = Buffer.alloc(64, 0x5a);
    expect((await scan('junk.mp4', box('ftyp', 24), junk)).truncated).toBe(false);
  });
});
