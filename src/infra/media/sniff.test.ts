import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { assertKind, sniff } from './sniff.js';
import type { SniffResult } from './sniff.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(
    parts.map((part) =>
      typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part),
    ),
  );

/** An ISO-BMFF `ftyp` box: size, "ftyp", major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]): Uint8Array => {
  const size = 16 + 4 * compatible.length;
  return bytes(
    [0, 0, 0, size],
    'ftyp',
    major,
    [0, 0, 2, 0],
    compatible.join(''),
    [0, 0, 0, 8],
    'mdat',
  );
};

/** EBML header with one DocType element. */
const ebml = (docType: string): Uint8Array => {
  const docTypeElement = bytes([0x42, 0x82, 0x80 | docType.length], docType);
  const version = [0x42, 0x86, 0x81, 0x01];
  const body = bytes(version, Array.from(docTypeElement));
  return bytes(
    [0x1a, 0x45, 0xdf, 0xa3, 0x80 | body.length],
    Array.from(body),
    [0x18, 0x53, 0x80, 0x67],
  );
};

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('sniff', () => {
  const cases: [string, Uint8Array, SniffResult][] = [
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), { kind: 'image', type: 'jpeg' }],
    ['png', bytes(PNG, [0, 0, 0, 13], 'IHDR'), { kind: 'image', type: 'png' }],
    ['webp', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), { kind: 'image', type: 'webp' }],
    ['heic', ftyp('heic', 'mif1', 'heic'), { kind: 'image', type: 'heic' }],
    ['heif mif1', ftyp('mif1', 'heic', 'miaf'), { kind: 'image', type: 'heic' }],
    ['avif', ftyp('avif', 'mif1', 'avif', 'miaf'), { kind: 'image', type: 'avif' }],
    ['avif behind mif1', ftyp('mif1', 'avif'), { kind: 'image', type: 'avif' }],
    ['mp4 isom', ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'), { kind: 'video', type: 'mp4' }],
    ['mp4 mp42', ftyp('mp42', 'mp42', 'isom'), { kind: 'video', type: 'mp4' }],
    ['3gp', ftyp('3gp4', '3gp4'), { kind: 'video', type: 'mp4' }],
    ['mov', ftyp('qt  ', 'qt  '), { kind: 'video', type: 'mov' }],
    ['m4a', ftyp('M4A ', 'M4A ', 'mp42', 'isom'), { kind: 'audio', type: 'm4a' }],
    ['webm', ebml('webm'), { kind: 'video', type: 'webm' }],
    ['mkv', ebml('matroska'), { kind: 'video', type: 'mkv' }],
    ['unknown ebml doctype', ebml('other'), { kind: 'rejected', type: 'unknown' }],
    ['unknown ftyp brand', ftyp('abcd', 'efgh'), { kind: 'rejected', type: 'unknown' }],
    ['avi', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'), { kind: 'rejected', type: 'riff' }],
    ['gif', bytes('GIF89a', [1, 0, 1, 0]), { kind: 'rejected', type: 'gif' }],
    ['pdf', bytes('%PDF-1.7\n%\xe2\xe3'), { kind: 'rejected', type: 'pdf' }],
    ['zip', bytes('PK', [3, 4, 20, 0]), { kind: 'rejected', type: 'zip' }],
    ['bmp', bytes('BM', [0x36, 0, 0, 0, 0, 0]), { kind: 'rejected', type: 'bmp' }],
    ['tiff', bytes('II*', [0, 8, 0, 0, 0]), { kind: 'rejected', type: 'tiff' }],
    ['elf', bytes([0x7f], 'ELF', [2, 1, 1]), { kind: 'rejected', type: 'executable' }],
    ['svg', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), { kind: 'rejected', type: 'svg' }],
    [
      'svg behind xml prolog and comment',
      bytes('\xef\xbb\xbf  <?xml version="1.0"?>\n<!-- x -->\n<SVG onload="alert(1)">'),
      { kind: 'rejected', type: 'svg' },
    ],
    ['html', bytes('\n\n<!DOCTYPE html><html>'), { kind: 'rejected', type: 'html' }],
    ['script tag', bytes('<script>alert(1)</script>'), { kind: 'rejected', type: 'html' }],
    ['html after text', bytes('hello <script>x</script>'), { kind: 'rejected', type: 'html' }],
    ['xml', bytes('<?xml version="1.0"?><root/>'), { kind: 'rejected', type: 'xml' }],
    ['shebang', bytes('#!/bin/sh\nrm -rf /\n'), { kind: 'rejected', type: 'script' }],
    ['text', bytes('just some words\n'), { kind: 'rejected', type: 'text' }],
    [
      'utf-16 svg',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<svg>', 'utf16le')]),
      { kind: 'rejected', type: 'svg' },
    ],
    ['empty', new Uint8Array(0), { kind: 'rejected', type: 'unknown' }],
    ['binary junk', bytes([0, 1, 2, 3, 4, 5]), { kind: 'rejected', type: 'unknown' }],
    ['jpeg prefix only', bytes([0xff, 0xd8]), { kind: 'rejected', type: 'unknown' }],
  ];

  it.each(cases)('%s', (_name, head, expected) => {
    expect(sniff(head)).toEqual(expected);
  });

  it('assertKind returns the type of the expected kind', () => {
    expect(assertKind({ kind: 'image', type: 'png' }, 'image')).toBe('png');
    expect(assertKind({ kind: 'video', type: 'webm' }, 'video')).toBe('webm');
  });

  it('assertKind refuses everything else with a clear code', () => {
    const codeOf = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        return error instanceof AppError ? `${error.code} ${error.httpStatus}` : 'not AppError';
      }
      return undefined;
    };
    expect(codeOf(() => assertKind({ kind: 'rejected', type: 'svg' }, 'image'))).toBe(
      'unsupported_media 415',
    );
    expect(codeOf(() => assertKind({ kind: 'video', type: 'mp4' }, 'image'))).toBe(
      'unsupported_media 415',
    );
    expect(codeOf(() => assertKind({ kind: 'image', type: 'jpeg' }, 'video'))).toBe(
      'unsupported_media 415',
    );
    expect(codeOf(() => assertKind({ kind: 'audio', type: 'm4a' }, 'video'))).toBe(
      'video_no_video_stream 422',
    );
  });
});

describe('sniff (properties)', () => {
  /** Independent oracle: the magic each accepted type must start with. */
  const magicMatches = (head: Uint8Array, result: SniffResult): boolean => {
    const text = (offset: number, length: number): string =>
      Buffer.from(head.subarray(offset, offset + length)).toString('latin1');
    if (result.kind === 'image') {
      switch (result.type) {
        case 'jpeg':
          return head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
        case 'png':
          return PNG.every((byte, index) => head[index] === byte);
        case 'webp':
          return text(0, 4) === 'RIFF' && text(8, 4) === 'WEBP';
        case 'heic':
        case 'avif':
          return text(4, 4) === 'ftyp';
      }
    }
    if (result.kind === 'video' || result.kind === 'audio') {
      if (result.type === 'webm' || result.type === 'mkv') {
        return head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3;
      }
      return text(4, 4) === 'ftyp';
    }
    return true;
  };

  const anyBytes = fc.uint8Array({ maxLength: 256 });
  /** Random tails behind real magic, so the ftyp/EBML parsers see hostile input too. */
  const magicPrefixed = fc
    .tuple(
      fc.constantFrom(
        [0xff, 0xd8, 0xff],
        PNG,
        Array.from(bytes('RIFF\0\0\0\0WEBP')),
        Array.from(bytes([0, 0, 0, 0x18], 'ftyp')),
        Array.from(bytes([0xff, 0xff, 0xff, 0xff], 'ftyp')),
        [0x1a, 0x45, 0xdf, 0xa3],
        Array.from(bytes('<svg')),
        Array.from(bytes('GIF89a')),
      ),
      anyBytes,
    )
    .map(([prefix, tail]) => bytes(prefix, Array.from(tail)));

  it('never throws, and accepts a type only when its magic is there', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, magicPrefixed), (head) => {
        const result = sniff(head);
        expect(['image', 'video', 'audio', 'rejected']).toContain(result.kind);
        expect(magicMatches(head, result)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts text as a media type', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(sniff(Buffer.from(text, 'utf8')).kind).toBe('rejected');
      }),
      { numRuns: 500 },
    );
  });
});
