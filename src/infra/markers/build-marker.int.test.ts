import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  makeFlatImage,
  makeOtherImage,
  makePortraitFixture,
} from '../../../test/fixtures/portrait.js';
import { buildMarker, MarkerBuildError } from './build-marker.js';
import type { MarkerBuild } from './build-marker.js';
import { prepareMarkerInput } from './marker-input.js';
import { NftFormatError, validateNftMarker } from './nft-format.js';
import { generateNftMarker, NftGenerateError } from './nft-generate.js';
import { selfTestNftMarker } from './nft-selftest.js';

/**
 * The real thing: ARToolKit's generator and tracker (wasm, in child processes) on a generated
 * portrait. One full-size generation (~15 CPU s) is shared by the file; the other cases use
 * small images (cost is proportional to pixels) or fail before generating.
 * Uses no backend: it runs once per backend project, unchanged.
 */

let portrait: Buffer;
let other: Buffer;
let build: MarkerBuild;

beforeAll(async () => {
  [portrait, other] = await Promise.all([makePortraitFixture(), makeOtherImage(7)]);
  build = await buildMarker(portrait, { negatives: [other] });
}, 240_000);

async function buildError(promise: Promise<unknown>): Promise<MarkerBuildError> {
  const error: unknown = await promise.then(
    () => new Error('expected the build to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof MarkerBuildError)) throw error;
  return error;
}

describe('buildMarker on a portrait', () => {
  it('produces a structurally valid marker with enough features', () => {
    const info = validateNftMarker(build.files);
    expect(info).toMatchObject({ imageWidth: 480, imageHeight: 640, dpi: 108, pages: 1 });
    expect(build).toMatchObject({
      width: 480,
      height: 640,
      dpi: 108,
      widthMm: 112.89,
      heightMm: 150.52,
    });
    expect(build.trackingPoints).toBe(info.trackingPoints.total);
    expect(build.trackingPoints).toBeGreaterThanOrEqual(20);
    expect(build.freakPoints).toBeGreaterThanOrEqual(50);
    // The -min_dpi choice: the pyramid's top two levels are a full 1/3 octave apart.
    expect((info.scales[0]?.dpi ?? 0) / (info.scales[1]?.dpi ?? 1)).toBeCloseTo(2 ** (1 / 3), 3);
    console.info(
      `[marker] ${build.width}×${build.height} @${build.dpi} dpi: ${build.trackingPoints} tracking / ${build.freakPoints} FREAK points; ` +
        `iset ${build.files.iset.length} B, fset ${build.files.fset.length} B, fset3 ${build.files.fset3.length} B; ` +
        `generate ${build.timings.generateMs} ms wall, self-test ${build.timings.selfTestMs} ms, CPU ${build.timings.cpuMs} ms`,
    );
  });

  it('is found straight and in perspective with an accurate pose, and never in negatives', () => {
    const byName = new Map(build.selfTest.scenarios.map((s) => [s.name, s]));
    for (const name of ['straight', 'perspective']) {
      const scenario = byName.get(name);
      expect(scenario?.found, name).toBe(true);
      expect(scenario?.cornerErrorPx, name).toBeLessThan(5);
      expect(
        scenario?.frames.every((f) => f.found),
        name,
      ).toBe(true);
    }
    for (const name of ['blank', 'distractor', 'negative-1']) {
      const scenario = byName.get(name);
      expect(scenario?.expect, name).toBe('not_found');
      expect(scenario?.found, name).toBe(false);
      expect(
        scenario?.frames.some((f) => f.found),
        name,
      ).toBe(false);
    }
    expect(build.selfTest.found).toBe(true);
    expect(build.selfTest.cornerErrorPx).toBeLessThan(5);
    console.info(
      `[self-test] ${build.selfTest.scenarios
        .map(
          (s) => `${s.name}: ${s.found ? `found, ${s.cornerErrorPx?.toFixed(2)} px` : 'not found'}`,
        )
        .join('; ')}`,
    );
  });

  it('scores the portrait as a good marker', () => {
    expect(build.quality.score).toBeGreaterThanOrEqual(80);
    expect(build.quality.advice).toEqual([]);
    expect(build.timings.cpuMs).toBeGreaterThan(0);
  });

  it('rejects corrupted copies of its own files', () => {
    const { iset, fset, fset3 } = build.files;
    const damaged = [
      { ...build.files, iset: iset.subarray(0, iset.length - 1) },
      { ...build.files, fset: fset.subarray(0, 100) },
      { ...build.files, fset3: fset3.subarray(0, fset3.length - 12) },
      { ...build.files, fset3: Buffer.concat([fset3, Buffer.alloc(1)]) },
      { ...build.files, fset: iset },
    ];
    for (const files of damaged) expect(() => validateNftMarker(files)).toThrow(NftFormatError);
  });

  it('does not find the portrait in frames of a different portrait', async () => {
    const stranger = await prepareMarkerInput(await makePortraitFixture({ seed: 99 }));
    const result = await selfTestNftMarker(build.files, { timeoutMs: 60_000, image: stranger });
    expect(result.found).toBe(false);
    expect(result.passed).toBe(false);
    expect(result.failures.join(' ')).toMatch(/straight: the portrait was not found/);
  }, 60_000);
});

describe('buildMarker failures', () => {
  it('rejects a flat image with advice, without generating', async () => {
    const started = performance.now();
    const error = await buildError(buildMarker(await makeFlatImage()));
    expect(error.code).toBe('too_few_features');
    expect(error.reason).toMatch(/flat/);
    expect(error.advice.join(' ')).toMatch(/single flat colour/);
    expect(error.permanent).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('rejects a featureless gradient after generation', async () => {
    const gradient = await sharp(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><defs><radialGradient id="g"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#234"/></radialGradient></defs><rect width="600" height="800" fill="url(#g)"/></svg>',
      ),
    )
      .jpeg()
      .toBuffer();
    const stages: string[] = [];
    const error = await buildError(
      buildMarker(gradient, { longSidePx: 256, onStage: (stage) => stages.push(stage) }),
    );
    expect(stages).toEqual(['prepare', 'generate', 'validate']);
    expect(error.code).toBe('too_few_features');
    expect(error.reason).toMatch(/0 tracking points/);
    expect(error.advice.join(' ')).toMatch(/Too few trackable features/);
  }, 60_000);

  it('fails a marker whose self-test fails instead of returning it', async () => {
    const error = await buildError(
      buildMarker(portrait, { longSidePx: 256, maxCornerErrorPx: 0.001 }),
    );
    expect(error.code).toBe('self_test_failed');
    expect(error.permanent).toBe(true);
    expect(error.reason).toMatch(/self-test/);
    expect(error.advice.length).toBeGreaterThan(0);
  }, 120_000);

  it('rejects an image it cannot read', async () => {
    const error = await buildError(buildMarker(Buffer.from('definitely not a photo')));
    expect(error.code).toBe('image_unreadable');
    expect(error.permanent).toBe(true);
  });

  it('reports a generation timeout as retryable', async () => {
    const stages: string[] = [];
    const error = await buildError(
      buildMarker(portrait, { timeoutMs: 300, onStage: (stage) => stages.push(stage) }),
    );
    expect(error.code).toBe('timeout');
    expect(error.permanent).toBe(false);
    expect(stages).toEqual(['prepare', 'generate']);
  });
});

describe('generateNftMarker', () => {
  it('is deterministic: the same input gives the same bytes', async () => {
    const input = await prepareMarkerInput(portrait, { longSidePx: 256 });
    const first = await generateNftMarker(input, { timeoutMs: 60_000 });
    const second = await generateNftMarker(input, { timeoutMs: 60_000 });
    expect(first.iset.equals(second.iset)).toBe(true);
    expect(first.fset.equals(second.fset)).toBe(true);
    expect(first.fset3.equals(second.fset3)).toBe(true);
  }, 120_000);

  it('kills the generator process on timeout', async () => {
    const input = await prepareMarkerInput(portrait);
    let pid = 0;
    const attempt = generateNftMarker(input, { timeoutMs: 500, onSpawn: (p) => (pid = p) });
    await expect(attempt).rejects.toBeInstanceOf(NftGenerateError);
    await expect(attempt).rejects.toMatchObject({ code: 'timeout' });
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it('stops when aborted', async () => {
    const input = await prepareMarkerInput(portrait);
    const controller = new AbortController();
    const attempt = generateNftMarker(input, { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 300);
    await expect(attempt).rejects.toMatchObject({ code: 'aborted' });
  });
});
