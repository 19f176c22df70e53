import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { patchArjs } from './arjs-patch.js';

const require = createRequire(import.meta.url);
const arjsFile = path.join(
  path.dirname(require.resolve('@ar-js-org/ar.js/package.json')),
  'aframe',
  'build',
  'aframe-ar-nft.js',
);

describe('the AR.js patch', () => {
  it('replaces exactly the sizing, camera, controller and tracker code of AR.js 3.4.8', async () => {
    const original = await readFile(arjsFile, 'utf8');
    const patched = patchArjs(original);
    expect(patched).not.toContain('copyElementSizeTo(document.body)');
    expect(patched).not.toContain('E.clientWidth,o=E.clientHeight');
    expect(patched).not.toContain('this.arController.process(A)');
    expect(patched).toContain('var Q=window.__vertexAr.cameraConstraints();');
    expect(patched.split('window.__vertexAr.').length - 1).toBe(4);
    // Still one valid script (a syntax error would make the page fail at run time).
    expect(() => new Script(patched)).not.toThrow();
    // What AR.js keeps: the inline NFT worker and the A-Frame primitives.
    expect(patched).toContain('registerPrimitive("a-nft"');
    expect(patched.length).toBeGreaterThan(original.length - 5000);
  });

  it('refuses code it does not recognise instead of patching it half', async () => {
    const original = await readFile(arjsFile, 'utf8');
    expect(() => patchArjs(original.replace('copyElementSizeTo(document.body)', 'x'))).toThrow(
      /copying the camera size onto <body>/,
    );
    expect(() => patchArjs(`${original}\nm.prototype.onResize=function(A,I,g){`)).toThrow(
      /must occur once/,
    );
    expect(() => patchArjs(original.replace('type:"process"', 'type:"run"'))).toThrow(
      /expected code missing/,
    );
  });
});
