import sharp from 'sharp';

/**
 * Marker quality: a 0–100 score and plain-English advice for the studio operator.
 * Works before generation (image statistics only) and after (plus feature counts and the
 * self-test). The scoring is pure; `measureMarkerImage` is the only part that touches pixels.
 *
 * Thresholds were calibrated on the generated test portrait (contrast 48, detail 6.9 bits,
 * sharpness 0.084, repetition ≈ 0.2, 191 tracking / 3354 FREAK points) and degraded versions
 * of it (blurred, low contrast, 300 px), a different picture, a flat image and periodic
 * patterns (checkerboard, stripes, bricks).
 */

export interface ImageMeasurements {
  /** Size of the upload after EXIF rotation. */
  sourceWidth: number;
  sourceHeight: number;
  /** Standard deviation of the grey levels (0–128). */
  contrast: number;
  /** Shannon entropy of the grey histogram, bits (0–8). */
  entropy: number;
  /** Laplacian standard deviation divided by `contrast`: edge crispness, independent of contrast. */
  sharpness: number;
  /** Strongest self-similarity of the detail at a shift (0 = none, 1 = perfectly periodic). */
  repetition: number;
}

export interface FeatureCounts {
  trackingPoints: number;
  freakPoints: number;
}

export interface QualityInput {
  image: ImageMeasurements;
  features?: FeatureCounts;
  selfTest?: { found: boolean; cornerErrorPx: number | null };
}

export type QualityCheckId =
  'resolution' | 'contrast' | 'detail' | 'sharpness' | 'repetition' | 'features' | 'self_test';

export interface QualityCheck {
  id: QualityCheckId;
  /** 0 (bad) – 1 (good). */
  score: number;
  weight: number;
  value: number;
  advice: string | null;
}

export interface MarkerQuality {
  score: number;
  advice: string[];
  checks: QualityCheck[];
}

/** Below these a marker does not work at all. */
export const MIN_TRACKING_POINTS = 20;
export const MIN_FREAK_POINTS = 50;
/** Grey-level standard deviation below which an image is "flat": not worth generating. */
export const FLAT_CONTRAST = 4;

/** Linear 0–1 between `bad` and `good` (either order). */
export function ramp(value: number, bad: number, good: number): number {
  if (!Number.isFinite(value)) return 0;
  const t = (value - bad) / (good - bad);
  return Math.min(1, Math.max(0, t));
}

function check(
  id: QualityCheckId,
  weight: number,
  value: number,
  score: number,
  advice: string | null,
): QualityCheck {
  return { id, weight, value, score, advice };
}

export function assessMarkerQuality(input: QualityInput): MarkerQuality {
  const { image, features, selfTest } = input;
  const checks: QualityCheck[] = [];
  // A (nearly) single-colour image: one clear message instead of every symptom.
  const flat = image.contrast < FLAT_CONTRAST;

  const shortSide = Math.min(image.sourceWidth, image.sourceHeight);
  checks.push(
    check(
      'resolution',
      10,
      shortSide,
      ramp(shortSide, 300, 1000),
      shortSide < 600
        ? `The photo is small (${image.sourceWidth}×${image.sourceHeight} px). Upload at least 1000 px on the short side so the print is sharp and tracks reliably.`
        : null,
    ),
  );
  checks.push(
    check(
      'contrast',
      15,
      image.contrast,
      ramp(image.contrast, 12, 40),
      flat
        ? 'The image is almost a single flat colour: there is nothing to recognise or track. Use a real photo with visible detail.'
        : image.contrast < 25
          ? 'Low contrast: the photo is mostly one brightness. Choose a photo with clear light and dark areas, or raise the contrast before printing.'
          : null,
    ),
  );
  checks.push(
    check(
      'detail',
      10,
      image.entropy,
      ramp(image.entropy, 3, 6.5),
      !flat && image.entropy < 5
        ? 'Few tones: large plain areas (sky, wall, studio backdrop) carry nothing to track. Crop tighter or choose a busier background.'
        : null,
    ),
  );
  checks.push(
    check(
      'sharpness',
      15,
      image.sharpness,
      ramp(image.sharpness, 0.015, 0.06),
      !flat && image.sharpness < 0.035
        ? 'The photo looks blurry or soft. Use a sharp, in-focus original without heavy smoothing or beauty filters.'
        : null,
    ),
  );
  checks.push(
    check(
      'repetition',
      15,
      image.repetition,
      ramp(image.repetition, 0.75, 0.35),
      image.repetition > 0.55
        ? 'The picture is very repetitive (a regular pattern, tiles, stripes): the tracker cannot tell one part from another. Choose a photo with distinct, irregular detail.'
        : null,
    ),
  );

  if (features) {
    const score = Math.min(
      ramp(features.trackingPoints, MIN_TRACKING_POINTS, 150),
      ramp(features.freakPoints, MIN_FREAK_POINTS, 1500),
    );
    checks.push(
      check(
        'features',
        30,
        features.trackingPoints,
        score,
        features.trackingPoints < 60 || features.freakPoints < 300
          ? `Too few trackable features (${features.trackingPoints} tracking, ${features.freakPoints} recognition points). Choose a photo with more texture and detail: hair, clothing patterns, objects, a textured background.`
          : null,
      ),
    );
  }
  if (selfTest) {
    const error = selfTest.cornerErrorPx;
    const score = !selfTest.found || error === null ? 0 : ramp(error, 5, 2);
    checks.push(
      check(
        'self_test',
        5,
        error ?? -1,
        score,
        score < 0.5
          ? 'In a simulated camera view the portrait was found unreliably. Expect slow or shaky tracking; a photo with more detail will work better.'
          : null,
      ),
    );
  }

  const totalWeight = checks.reduce((sum, c) => sum + c.weight, 0);
  let score = (100 * checks.reduce((sum, c) => sum + c.weight * c.score, 0)) / totalWeight;
  // A marker that cannot work must not look half-good because the photo is pretty.
  if (
    features &&
    (features.trackingPoints < MIN_TRACKING_POINTS || features.freakPoints < MIN_FREAK_POINTS)
  ) {
    score = Math.min(score, 15);
  }
  if (selfTest && !selfTest.found) score = Math.min(score, 20);
  if (flat) score = Math.min(score, 5);

  return {
    score: Math.round(score),
    advice: checks.flatMap((c) => (c.advice === null ? [] : [c.advice])),
    checks,
  };
}

// --- measurements -------------------------------------------------------------------------

/** High-pass RMS (grey levels) below which an image has no detail to speak of. */
const MIN_DETAIL_RMS = 2;

/**
 * Self-similarity of the image's detail: the highest normalised correlation between the
 * high-passed image and a shifted copy of itself, over shifts of at least `minShift` px and
 * at most 40 % of the short side. Periodic patterns score near 1, photos ≈ 0.1–0.4.
 * Meant for a small image (~80 px long side): O(pixels × shifts).
 */
export function repetitionScore(
  grey: Uint8Array,
  width: number,
  height: number,
  minShift = 3,
): number {
  if (grey.length !== width * height) throw new Error('repetitionScore: size mismatch');
  const maxShift = Math.floor(Math.min(width, height) * 0.4);
  if (maxShift < minShift) return 0;
  // High-pass: each pixel minus its 5×5 mean (via an integral image), so smooth gradients
  // and lighting, which correlate at every shift, do not count as repetition.
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += grey[y * width + x] ?? 0;
      integral[(y + 1) * (width + 1) + x + 1] = (integral[y * (width + 1) + x + 1] ?? 0) + row;
    }
  }
  const at = (x: number, y: number): number => integral[y * (width + 1) + x] ?? 0;
  const hp = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - 2);
    const y1 = Math.min(height, y + 3);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - 2);
      const x1 = Math.min(width, x + 3);
      const mean = (at(x1, y1) - at(x0, y1) - at(x1, y0) + at(x0, y0)) / ((x1 - x0) * (y1 - y0));
      hp[y * width + x] = (grey[y * width + x] ?? 0) - mean;
    }
  }
  // Too little detail to repeat (a smooth gradient's 8-bit banding would otherwise correlate).
  const energy = hp.reduce((sum, value) => sum + value * value, 0) / hp.length;
  if (Math.sqrt(energy) < MIN_DETAIL_RMS) return 0;
  let best = 0;
  // Half of the shift plane: (dx, dy) and (−dx, −dy) give the same correlation.
  for (let dy = 0; dy <= maxShift; dy++) {
    for (let dx = -maxShift; dx <= maxShift; dx++) {
      if (dy === 0 && dx <= 0) continue;
      if (Math.max(Math.abs(dx), dy) < minShift) continue;
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let y = 0; y + dy < height; y++) {
        const xStart = Math.max(0, -dx);
        const xEnd = Math.min(width, width - dx);
        let i = y * width + xStart;
        let j = (y + dy) * width + xStart + dx;
        for (let x = xStart; x < xEnd; x++, i++, j++) {
          const a = hp[i] ?? 0;
          const b = hp[j] ?? 0;
          ab += a * b;
          aa += a * a;
          bb += b * b;
        }
      }
      const denominator = Math.sqrt(aa * bb);
      if (denominator > 1e-9) best = Math.max(best, ab / denominator);
    }
  }
  return Math.min(1, Math.max(0, best));
}

/** Image statistics of a prepared (greyscale) marker image, for assessMarkerQuality. */
export async function measureMarkerImage(input: {
  grey: Buffer;
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
}): Promise<ImageMeasurements> {
  const raw = { width: input.width, height: input.height, channels: 1 as const };
  const stats = await sharp(input.grey, { raw }).stats();
  const contrast = stats.channels[0]?.stdev ?? 0;
  const small = await sharp(input.grey, { raw })
    .resize({ width: 80, height: 80, fit: 'inside' })
    .toColourspace('b-w') // else sharp widens single-channel raw input to sRGB
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    sourceWidth: input.sourceWidth,
    sourceHeight: input.sourceHeight,
    contrast,
    entropy: stats.entropy,
    sharpness: contrast > 1e-6 ? stats.sharpness / contrast : 0,
    repetition: repetitionScore(small.data, small.info.width, small.info.height),
  };
}
