import { describe, expect, it } from 'vitest';
import { redactPaths, redactPathsInText } from './redact-paths.js';

describe('redactPathsInText', () => {
  it.each([
    [
      'file:/srv/vertex/data/tmp/uploads/0b6d.upload: Invalid data found when processing input',
      '<path>: Invalid data found when processing input',
    ],
    [
      "ENOENT: no such file or directory, open '/srv/data/storage/videos/1/original.mp4'",
      "ENOENT: no such file or directory, open '<path>'",
    ],
    [
      'VipsForeignLoad: "/tmp/vertex-data-x/tmp/uploads/a.upload" is not a known file format',
      'VipsForeignLoad: "<path>" is not a known file format',
    ],
    ['Input file is missing: /var/lib/x.jpg', 'Input file is missing: <path>'],
  ])('hides the path in %j', (text, expected) => {
    expect(redactPathsInText(text)).toBe(expected);
  });

  it.each([
    'The video could not be processed',
    'detected video/mp4, expected image/jpeg',
    'see https://example.com/a/b/c for help',
    'premature end of JPEG image',
    'ratio 16/9',
  ])('leaves %j alone', (text) => {
    expect(redactPathsInText(text)).toBe(text);
  });
});

describe('redactPaths', () => {
  it('walks objects and arrays, keeping other values', () => {
    expect(
      redactPaths({
        reason: 'file:/data/tmp/u.upload: moov atom not found',
        exitCode: 1,
        nested: [{ path: '/data/storage/a/b' }, null],
      }),
    ).toEqual({
      reason: '<path>: moov atom not found',
      exitCode: 1,
      nested: [{ path: '<path>' }, null],
    });
    expect(redactPaths(['/srv/a/b', 7])).toEqual(['<path>', 7]);
  });
});
