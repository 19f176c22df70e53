import { describe, expect, it } from 'vitest';
import { parseStorageKey, storageKey, storagePrefix } from './storage.js';

describe('storageKey', () => {
  it('joins valid segments with slashes', () => {
    expect(storageKey('portraits', '0192f3a1-7c2e-7b3d-9a4e-1f2e3d4c5b6a', 'original.jpg')).toBe(
      'portraits/0192f3a1-7c2e-7b3d-9a4e-1f2e3d4c5b6a/original.jpg',
    );
    expect(storageKey('markers', 'abc', '3', 'marker.fset3')).toBe('markers/abc/3/marker.fset3');
    for (const segment of ['a', 'A', '0', '_x', 'a-b_c.d', 'file.tar.gz', 'v1.', 'x'.repeat(128)]) {
      expect(storageKey(segment)).toBe(segment);
    }
  });

  it.each([
    ['no segment', []],
    ['empty segment', ['']],
    ['empty middle segment', ['a', '', 'b']],
    ['dot dot', ['..']],
    ['dot dot inside a path', ['a', '..', 'b']],
    ['dot dot inside a segment', ['a..b']],
    ['single dot', ['.']],
    ['hidden file', ['.env']],
    ['leading dash (option-like)', ['-rf']],
    ['absolute path', ['/abs']],
    ['slash inside a segment', ['a/b']],
    ['trailing slash', ['a/']],
    ['backslash', ['a\\b']],
    ['windows drive', ['C:']],
    ['NUL byte', ['a\u0000b']],
    ['newline', ['a\nb']],
    ['space', ['a b']],
    ['percent-encoded dot dot', ['%2e%2e']],
    ['tilde', ['~']],
    ['too long (129)', ['x'.repeat(129)]],
    ['non-ASCII letter', ['café.jpg']],
    ['Cyrillic look-alike', ['оriginal.jpg']],
    ['fullwidth solidus', ['a\uff0fb']],
    ['division slash', ['a\u2215b']],
    ['one-dot leader (looks like ..)', ['\u2024\u2024']],
    ['right-to-left override', ['gpj.\u202eexe']],
    ['zero-width space', ['a\u200b']],
    ['combining mark', ['e\u0301']],
  ])('rejects %s', (_label, segments: string[]) => {
    expect(() => storageKey(...segments)).toThrow(/storage key/);
  });
});

describe('parseStorageKey', () => {
  it('round-trips keys made by storageKey', () => {
    const key = storageKey('videos', 'abc', 'display.mp4');
    expect(parseStorageKey(key)).toBe(key);
  });

  it.each(['', '/abs/key', 'a//b', 'a/', 'a/../b', '../x', 'a/./b', 'a\\..\\b', 'a/\u0000'])(
    'rejects %j',
    (key) => {
      expect(() => parseStorageKey(key)).toThrow(/storage key/);
    },
  );
});

describe('storagePrefix', () => {
  it.each(['', 'portraits/', 'portraits/abc/', 'portraits/ab', 'p', 'a/b/c.', 'x_'])(
    'accepts %j',
    (prefix) => {
      expect(storagePrefix(prefix)).toBe(prefix);
    },
  );

  it.each([
    '/',
    '/abs',
    '../',
    '..',
    'a/..',
    'a/../b/',
    'a//',
    '.tmp',
    'a/.hidden',
    'é',
    'a b/',
    'a\u0000',
  ])('rejects %j', (prefix) => {
    expect(() => storagePrefix(prefix)).toThrow(/invalid storage prefix/);
  });
});
