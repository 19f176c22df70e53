import { ChildJobError, runChildJob, workerPath } from './child-job.js';
import type { GenerateJob, GenerateSuccess } from './workers/protocol.js';

/**
 * ARToolKit NFT marker generation (`.iset`, `.fset`, `.fset3`) with the wasm build of
 * `@webarkit/nft-marker-creator-app`, one fresh instance per marker in a forked child process
 * (`nft-generate.worker.mjs`). ~20 CPU s for a 640 px image.
 */

export interface NftGenerateInput {
  /** Raw 8-bit greyscale pixels, `width × height` bytes (see prepareMarkerInput). */
  grey: Buffer;
  width: number;
  height: number;
  dpi: number;
}

export interface NftGenerateOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Generator flags; default nftGeneratorFlags(). */
  flags?: string;
  /** Called with the child's pid once forked (metrics, tests). */
  onSpawn?: (pid: number) => void;
}

export interface NftMarkerFiles {
  iset: Buffer;
  fset: Buffer;
  fset3: Buffer;
}

export interface NftGenerateResult extends NftMarkerFiles {
  /** CPU time (user + system) the child used, module load included. */
  cpuMs: number;
}

export type NftGenerateErrorCode = 'invalid_input' | 'timeout' | 'aborted' | 'generation_failed';

export class NftGenerateError extends Error {
  constructor(
    readonly code: NftGenerateErrorCode,
    message: string,
    readonly log = '',
  ) {
    super(message);
    this.name = 'NftGenerateError';
  }
}

/** The generator's smallest pyramid image (KPM_MINIMUM_IMAGE_SIZE in markerCreator.cpp). */
const KPM_MINIMUM_IMAGE_SIZE = 28;
const LEVEL_RATIO = Math.cbrt(2);

/**
 * The lowest dpi of the scale pyramid, chosen so that the pyramid (min × 2^(k/3)) lands
 * exactly on the image's own dpi. With the default minimum (the smallest allowed, 28 px
 * short side) the top two levels are only ~15 % apart: a near-duplicate scale that costs
 * 22–25 % more CPU for the same detection.
 */
export function pyramidMinDpi(width: number, height: number, dpi: number): number {
  // Mirrors setDPI(): the minimum allowable dpi, truncated to 3 decimals.
  const allowable =
    Math.trunc((KPM_MINIMUM_IMAGE_SIZE / Math.min(width, height)) * dpi * 1000) / 1000;
  let steps = Math.floor(3 * Math.log2(dpi / allowable));
  // Stay clearly above the allowable value: below it the generator silently resets the minimum.
  while (steps > 0 && dpi / LEVEL_RATIO ** steps < allowable * 1.001) steps--;
  // Rounded up to 4 decimals so float32 parsing never lands below the exact value.
  return Math.ceil((dpi / LEVEL_RATIO ** steps) * 10_000) / 10_000;
}

/**
 * Flags for `createNftDataSet` (the CLI's syntax). Levels are explicit rather than relying on
 * the C defaults: `-level=2` tracking features (the default occupancy/thresholds), `-leveli=1`
 * initialisation (FREAK) density 100 per 480×360 px. `-max_thresh` and `-feature_density`
 * are mis-parsed by the C code and never used; nothing may contain "-h" (it prints usage and
 * exits).
 */
export function nftGeneratorFlags(width: number, height: number, dpi: number): string {
  return `-level=2 -leveli=1 -min_dpi=${pyramidMinDpi(width, height, dpi).toFixed(4)}`;
}

function validate(input: NftGenerateInput): void {
  const { grey, width, height, dpi } = input;
  const ok =
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    Math.min(width, height) >= KPM_MINIMUM_IMAGE_SIZE &&
    width * height <= 4096 * 4096 &&
    Number.isFinite(dpi) &&
    dpi > 0 &&
    grey.length === width * height;
  if (!ok) {
    throw new NftGenerateError(
      'invalid_input',
      `invalid generator input: ${width}×${height} px, ${grey.length} bytes, dpi ${dpi}`,
    );
  }
}

const toBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export async function generateNftMarker(
  input: NftGenerateInput,
  options: NftGenerateOptions,
): Promise<NftGenerateResult> {
  validate(input);
  const request: GenerateJob = {
    grey: new Uint8Array(input.grey.buffer, input.grey.byteOffset, input.grey.byteLength),
    width: input.width,
    height: input.height,
    dpi: input.dpi,
    flags: options.flags ?? nftGeneratorFlags(input.width, input.height, input.dpi),
  };
  try {
    const result = await runChildJob<GenerateSuccess>(
      workerPath('workers/nft-generate.worker.mjs'),
      request,
      {
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        onSpawn: options.onSpawn,
      },
    );
    return {
      iset: toBuffer(result.iset),
      fset: toBuffer(result.fset),
      fset3: toBuffer(result.fset3),
      cpuMs: result.cpuMs,
    };
  } catch (error) {
    if (error instanceof ChildJobError) {
      const code =
        error.code === 'timeout'
          ? 'timeout'
          : error.code === 'aborted'
            ? 'aborted'
            : 'generation_failed';
      throw new NftGenerateError(code, `NFT generation failed: ${error.message}`, error.log);
    }
    throw error;
  }
}
