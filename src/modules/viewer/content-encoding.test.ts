import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CompressedCache,
  compress,
  ifNoneMatchHits,
  negotiateEncoding,
  representationEtag,
} from './content-encoding.js';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, br;q=0.4', 'gzip'],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    ['BR', 'br'],
    ['br;q=abc, gzip;q=0.1', 'gzip'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header, ['br', 'gzip'])).toBe(expected);
  });

  it('offers only what is offered', () => {
    expect(negotiateEncoding('br', ['gzip'])).toBe('identity');
  });
});

describe('ETags per representation', () => {
  it('suffixes the coding inside the quotes, keeping W/', () => {
    expect(representationEtag('"abc"', 'identity')).toBe('"abc"');
    expect(representationEtag('"abc"', 'br')).toBe('"abc-br"');
    expect(representationEtag('W/"abc"', 'gzip')).toBe('W/"abc-gz"');
    expect(representationEtag('abc', 'gzip')).toBe('"abc-gz"');
  });

  it('If-None-Match hits any representation of the same content, nothing else', () => {
    expect(ifNoneMatchHits('"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"x", W/"abc-br"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"abc-gz"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('*', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"abcd"', '"abc"')).toBe(false);
    expect(ifNoneMatchHits(undefined, '"abc"')).toBe(false);
  });
});

describe('compress', () => {
  it('round-trips both codings', async () => {
    const body = Buffer.from('living portrait '.repeat(500));
    expect(gunzipSync(await compress(body, 'gzip')).equals(body)).toBe(true);
    expect(brotliDecompressSync(await compress(body, 'br')).equals(body)).toBe(true);
  });
});

describe('CompressedCache', () => {
  it('compresses once for concurrent requests', async () => {
    const cache = new CompressedCache(1024);
    let calls = 0;
    const make = async () => {
      calls += 1;
      return Buffer.alloc(10);
    };
    await Promise.all([cache.get('k', make), cache.get('k', make), cache.get('k', make)]);
    expect(calls).toBe(1);
  });

  it('evicts the least recently used beyond its byte budget', async () => {
    const cache = new CompressedCache(25);
    const made: string[] = [];
    const make = (key: string) => async () => {
      made.push(key);
      return Buffer.alloc(10);
    };
    await cache.get('a', make('a'));
    await cache.get('b', make('b'));
    await cache.get('a', make('a')); // a is now the most recent
    await cache.get('c', make('c')); // 30 bytes > 25: b goes
    expect(cache.totalBytes).toBe(20);
    await cache.get('a', make('a'));
    await cache.get('b', make('b'));
    expect(made).toEqual(['a', 'b', 'c', 'b']);
  });

  it('forgets failures', async () => {
    const cache = new CompressedCache(100);
    await expect(cache.get('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(cache.get('k', async () => Buffer.alloc(1))).resolves.toHaveLength(1);
  });
});
