import type { MarkerErrorCode } from '../../shared/error-codes.js';
import { MarkerInputError, prepareMarkerInput } from './marker-input.js';
import type { PrepareMarkerInputOptions } from './marker-input.js';
import {
  assessMarkerQuality,
  FLAT_CONTRAST,
  measureMarkerImage,
  MIN_FREAK_POINTS,
  MIN_TRACKING_POINTS,
} from './marker-quality.js';
import type { MarkerQuality } from './marker-quality.js';
import { NftFormatError, validateNftMarker } from './nft-format.js';
import type { NftMarkerFileSet, NftMarkerInfo } from './nft-format.js';
import { generateNftMarker, NftGenerateError } from './nft-generate.js';
import { NftSelfTestError, selfTestNftMarker } from './nft-selftest.js';
import type { SelfTestResult, SelfTestScenario } from './nft-selftest.js';

/**
 * The marker pipeline's engine: prepare → generate → validate →
 * self-test → quality. No HTTP, no database, no storage: bytes in, a proven marker or a
 * MarkerBuildError out. It never returns a marker that failed any step.
 */

/** The failure codes live with the API's other codes (`marker.errorCode` shows them). */
export type MarkerBuildErrorCode = MarkerErrorCode;

/**
 * Failures that a retry cannot fix: the image itself, or a deterministic result (generation
 * and self-test give the same bytes and verdict every run). The rest (a crashed or killed
 * child, a busy machine) may succeed on retry.
 */
const PERMANENT: ReadonlySet<MarkerBuildErrorCode> = new Set([
  'image_unreadable',
  'image_too_small',
  'too_few_features',
  'invalid_marker',
  'self_test_failed',
]);

export class MarkerBuildError extends Error {
  /** True when retrying the same image cannot succeed. */
  readonly permanent: boolean;

  constructor(
    readonly code: MarkerBuildErrorCode,
    /** One sentence for logs and the job's failure reason. */
    readonly reason: string,
    /** What the operator can do about it (may be empty for internal failures). */
    readonly advice: string[] = [],
    /** Diagnostics (tail of the child's log), never shown to end users. */
    readonly log = '',
  ) {
    super(reason);
    this.name = 'MarkerBuildError';
    this.permanent = PERMANENT.has(code);
  }
}

export type MarkerBuildStage = 'prepare' | 'generate' | 'validate' | 'self_test' | 'quality';

export interface BuildMarkerOptions extends PrepareMarkerInputOptions {
  /** Hard limit for generation (the child is killed); default 180 s. */
  timeoutMs?: number;
  /** Hard limit for the self-test; default 60 s. */
  selfTestTimeoutMs?: number;
  signal?: AbortSignal;
  /** Extra negative controls for the self-test (images that must not be recognised). */
  negatives?: Buffer[];
  /** Self-test corner error limit, px; default 5. */
  maxCornerErrorPx?: number;
  /** Progress for job status: called as each stage starts. */
  onStage?: (stage: MarkerBuildStage) => void;
}

export interface MarkerBuild {
  files: NftMarkerFileSet;
  width: number;
  height: number;
  dpi: number;
  widthMm: number;
  heightMm: number;
  trackingPoints: number;
  freakPoints: number;
  quality: MarkerQuality;
  selfTest: {
    found: boolean;
    cornerErrorPx: number | null;
    scenarios: SelfTestScenario[];
  };
  info: NftMarkerInfo;
  timings: { generateMs: number; selfTestMs: number; cpuMs: number };
}

const DEFAULT_TIMEOUT_MS = 180_000;
const DEFAULT_SELF_TEST_TIMEOUT_MS = 60_000;

const FEATURE_ADVICE =
  'Choose a photo with more texture and detail (hair, clothing patterns, objects, a textured background) and good contrast.';

function wrapChildError(error: unknown, stage: 'generate' | 'self_test'): never {
  if (error instanceof NftGenerateError || error instanceof NftSelfTestError) {
    const code: MarkerBuildErrorCode =
      error.code === 'timeout' || error.code === 'aborted'
        ? error.code
        : stage === 'generate'
          ? 'generation_failed'
          : 'self_test_error';
    const retry =
      code === 'timeout' ? ['The server was too busy or the image too large; retry later.'] : [];
    throw new MarkerBuildError(code, error.message, retry, error.log);
  }
  throw error;
}

export async function buildMarker(
  image: Buffer,
  options: BuildMarkerOptions = {},
): Promise<MarkerBuild> {
  const stage = (name: MarkerBuildStage): void => {
    if (options.signal?.aborted)
      throw new MarkerBuildError('aborted', `marker build aborted before ${name}`);
    options.onStage?.(name);
  };

  stage('prepare');
  let input;
  try {
    input = await prepareMarkerInput(image, options);
  } catch (error) {
    if (error instanceof MarkerInputError) {
      throw error.code === 'image_too_small'
        ? new MarkerBuildError('image_too_small', error.message, [
            'Upload the original photo, at least 1000 px on the short side.',
          ])
        : new MarkerBuildError('image_unreadable', error.message, [
            'Upload a JPEG, PNG or WebP photo.',
          ]);
    }
    throw error;
  }
  const measurements = await measureMarkerImage(input);
  if (measurements.contrast < FLAT_CONTRAST) {
    // Not worth ~15 CPU s of generation: a flat image yields no features at all.
    const quality = assessMarkerQuality({ image: measurements });
    throw new MarkerBuildError(
      'too_few_features',
      `image is flat (grey-level deviation ${measurements.contrast.toFixed(1)}): nothing to track`,
      quality.advice,
    );
  }

  stage('generate');
  const generateStart = performance.now();
  let generated;
  try {
    generated = await generateNftMarker(input, {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: options.signal,
    });
  } catch (error) {
    wrapChildError(error, 'generate');
  }
  const generateMs = Math.round(performance.now() - generateStart);
  const files: NftMarkerFileSet = {
    iset: generated.iset,
    fset: generated.fset,
    fset3: generated.fset3,
  };

  stage('validate');
  let info: NftMarkerInfo;
  try {
    info = validateNftMarker(files);
  } catch (error) {
    if (error instanceof NftFormatError) {
      throw new MarkerBuildError(
        'invalid_marker',
        `generated marker is malformed: ${error.message}`,
      );
    }
    throw error;
  }
  if (
    info.imageWidth !== input.width ||
    info.imageHeight !== input.height ||
    info.dpi !== input.dpi
  ) {
    throw new MarkerBuildError(
      'invalid_marker',
      `generated marker is ${info.imageWidth}×${info.imageHeight} at ${info.dpi} dpi, expected ${input.width}×${input.height} at ${input.dpi}`,
    );
  }
  const features = { trackingPoints: info.trackingPoints.total, freakPoints: info.freakPoints };
  if (features.trackingPoints < MIN_TRACKING_POINTS || features.freakPoints < MIN_FREAK_POINTS) {
    const quality = assessMarkerQuality({ image: measurements, features });
    throw new MarkerBuildError(
      'too_few_features',
      `too few features: ${features.trackingPoints} tracking points (need ${MIN_TRACKING_POINTS}), ${features.freakPoints} FREAK points (need ${MIN_FREAK_POINTS})`,
      quality.advice.length > 0 ? quality.advice : [FEATURE_ADVICE],
    );
  }

  stage('self_test');
  let selfTest: SelfTestResult;
  try {
    selfTest = await selfTestNftMarker(files, {
      timeoutMs: options.selfTestTimeoutMs ?? DEFAULT_SELF_TEST_TIMEOUT_MS,
      signal: options.signal,
      image: input,
      negatives: options.negatives,
      maxCornerErrorPx: options.maxCornerErrorPx,
    });
  } catch (error) {
    wrapChildError(error, 'self_test');
  }
  if (!selfTest.passed) {
    const quality = assessMarkerQuality({ image: measurements, features, selfTest });
    throw new MarkerBuildError(
      'self_test_failed',
      `marker failed its self-test: ${selfTest.failures.join('; ')}`,
      quality.advice.length > 0 ? quality.advice : [FEATURE_ADVICE],
    );
  }

  stage('quality');
  const quality = assessMarkerQuality({ image: measurements, features, selfTest });
  const mm = (px: number): number => Math.round((px / info.dpi) * 25.4 * 100) / 100;
  return {
    files,
    width: info.imageWidth,
    height: info.imageHeight,
    dpi: info.dpi,
    widthMm: mm(info.imageWidth),
    heightMm: mm(info.imageHeight),
    trackingPoints: features.trackingPoints,
    freakPoints: features.freakPoints,
    quality,
    selfTest: {
      found: selfTest.found,
      cornerErrorPx: selfTest.cornerErrorPx,
      scenarios: selfTest.scenarios,
    },
    info,
    timings: {
      generateMs,
      selfTestMs: selfTest.wallMs,
      cpuMs: generated.cpuMs + selfTest.cpuMs,
    },
  };
}
