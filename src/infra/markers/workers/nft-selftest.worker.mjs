// Child-process entry: renders synthetic camera frames and runs the real NFT tracker
// (`@webarkit/jsartoolkit-nft`, ES6 wasm build) on them, one FRESH wasm instance per scenario.
//
// Plain JavaScript on purpose (forked as-is from `src/` and `dist/`; see nft-generate.worker.mjs);
// messages: SelfTestJob in, SelfTestSuccess | WorkerFailure out (./protocol.d.ts).
// The parent (nft-selftest.ts) does the geometry: it sends, per scenario, the homography that
// maps source-image pixels to frame pixels; this file only rasterises and tracks.
import { performance } from 'node:perf_hooks';
import process from 'node:process';

/** @typedef {import('./protocol.js').SelfTestJob} SelfTestJob */
/** @typedef {import('./protocol.js').GreySource} GreySource */

const LOG_LIMIT = 8192;
let log = '';
/** @param {unknown[]} parts */
const keep = (...parts) => {
  log = (log + parts.map(String).join(' ') + '\n').slice(-LOG_LIMIT);
};
// The tracker logs through console.* directly; keep it for diagnostics, off stdout.
console.log = console.info = console.warn = console.error = console.debug = keep;

/** @param {import('./protocol.js').SelfTestSuccess | import('./protocol.js').WorkerFailure} message */
function reply(message) {
  process.send?.(message, () => {
    process.exit(0);
  });
}

process.once('message', (job) => {
  run(/** @type {SelfTestJob} */ (job)).then(reply, (error) => {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error), log });
  });
});

/**
 * mulberry32: deterministic noise, so a self-test is reproducible.
 * @param {number} seed
 */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Inverse of a 3×3 matrix (row-major array of 9).
 * @param {number[]} m
 */
function invert3(m) {
  if (m.length !== 9 || !m.every(Number.isFinite)) throw new Error('invalid homography');
  const [a, b, c, d, e, f, g, h, i] =
    /** @type {[number, number, number, number, number, number, number, number, number]} */ (m);
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new Error('singular homography');
  // prettier-ignore
  return [
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ];
}

/**
 * One grey frame: background, the source warped through `homography` (source pixel → frame
 * pixel, pixel centres at integers), 2×2 supersampled with bilinear taps (a camera integrates
 * over its pixel area), then Gaussian-like sensor noise.
 * @param {number} width
 * @param {number} height
 * @param {GreySource | null} source
 * @param {number[]} homography
 * @param {number} background
 * @param {number} noise
 * @param {() => number} rand
 */
function renderFrame(width, height, source, homography, background, noise, rand) {
  const out = new Uint8Array(width * height);
  const inv = source ? invert3(homography) : null;
  const offsets = [-0.25, 0.25];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      if (inv) {
        for (const dy of offsets) {
          for (const dx of offsets) {
            const fx = x + dx;
            const fy = y + dy;
            const w = inv[6] * fx + inv[7] * fy + inv[8];
            const u = (inv[0] * fx + inv[1] * fy + inv[2]) / w;
            const v = (inv[3] * fx + inv[4] * fy + inv[5]) / w;
            sum += sample(/** @type {GreySource} */ (source), u, v, background);
          }
        }
        sum /= 4;
      } else {
        sum = background;
      }
      // Sum of three uniforms: close enough to Gaussian, sigma = noise.
      const n = (rand() + rand() + rand() - 1.5) * 2 * noise;
      out[y * width + x] = Math.max(0, Math.min(255, Math.round(sum + n)));
    }
  }
  return out;
}

/**
 * Bilinear sample at (u, v); `background` outside the image.
 * @param {GreySource} source
 * @param {number} u
 * @param {number} v
 * @param {number} background
 */
function sample(source, u, v, background) {
  const { grey, width, height } = source;
  if (u < -0.5 || v < -0.5 || u > width - 0.5 || v > height - 0.5) return background;
  const x0 = Math.max(0, Math.min(width - 1, Math.floor(u)));
  const y0 = Math.max(0, Math.min(height - 1, Math.floor(v)));
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = Math.max(0, Math.min(1, u - x0));
  const fy = Math.max(0, Math.min(1, v - y0));
  const px = (/** @type {number} */ x, /** @type {number} */ y) =>
    grey[y * width + x] ?? background;
  const top = px(x0, y0) * (1 - fx) + px(x1, y0) * fx;
  const bottom = px(x0, y1) * (1 - fx) + px(x1, y1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * The tracker wants RGBA too: AR2 tracking reads the colour frame, KPM the luma.
 * @param {Uint8Array} grey
 */
function toRgba(grey) {
  const rgba = new Uint8ClampedArray(grey.length * 4);
  for (let p = 0, q = 0; p < grey.length; p++, q += 4) {
    const value = grey[p] ?? 0;
    rgba[q] = value;
    rgba[q + 1] = value;
    rgba[q + 2] = value;
    rgba[q + 3] = 255;
  }
  return rgba;
}

/**
 * @param {SelfTestJob} job
 * @returns {Promise<import('./protocol.js').SelfTestSuccess>}
 */
async function run(job) {
  const { default: createTracker } =
    await import('@webarkit/jsartoolkit-nft/build/artoolkitNFT_ES6_wasm.js');
  const results = [];
  for (const scenario of job.scenarios) {
    const source = scenario.source === null ? null : (job.sources[scenario.source] ?? null);
    if (scenario.source !== null && !source)
      throw new Error(`scenario ${scenario.name}: no source ${scenario.source}`);
    const rand = prng(scenario.seed);
    const frames = [];
    for (let f = 0; f < scenario.frames; f++) {
      frames.push(
        renderFrame(
          job.frameWidth,
          job.frameHeight,
          source,
          scenario.homography,
          scenario.background,
          scenario.noise,
          rand,
        ),
      );
    }

    // A fresh wasm instance per scenario: tracker state (detected page, filters, KPM) must
    // not carry over from one scenario to the next.
    const setupStart = performance.now();
    const wasm = await createTracker({ print: keep, printErr: keep });
    const tracker = new wasm.ARToolKitNFT(false); // no pose filtering: measure raw poses
    wasm.FS.writeFile('/camera_para.dat', job.camera);
    const cameraId = tracker._loadCamera('/camera_para.dat');
    if (cameraId < 0) throw new Error('tracker rejected the camera parameters');
    tracker.setup(job.frameWidth, job.frameHeight, cameraId);
    if (tracker.setupAR2() < 0) throw new Error('tracker setupAR2 failed');
    wasm.FS.writeFile('/marker.iset', job.marker.iset);
    wasm.FS.writeFile('/marker.fset', job.marker.fset);
    wasm.FS.writeFile('/marker.fset3', job.marker.fset3);
    const names = new wasm.StringList();
    names.push_back('/marker');
    const ids = tracker._addNFTMarkers(names);
    const loaded = ids.size();
    names.delete();
    ids.delete();
    if (loaded !== 1) throw new Error('tracker could not load the marker files');
    const setupMs = performance.now() - setupStart;

    const frameResults = [];
    for (const frame of frames) {
      const start = performance.now();
      tracker.passVideoData(toRgba(frame), frame, false);
      tracker.detectNFTMarker();
      const info = tracker.getNFTMarker(0);
      const found = info.found === 1;
      frameResults.push({
        found,
        error: Number(info.error),
        pose: found ? Array.from(info.pose, Number) : null,
        ms: performance.now() - start,
      });
    }
    tracker.delete();
    results.push({ name: scenario.name, setupMs, frames: frameResults });
  }
  const usage = process.cpuUsage();
  return {
    type: 'result',
    scenarios: results,
    cpuMs: Math.round((usage.user + usage.system) / 1000),
  };
}
