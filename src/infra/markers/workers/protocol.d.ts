// IPC messages between the TypeScript parents (nft-generate.ts, nft-selftest.ts) and the
// plain-JavaScript workers in this folder (which check against them through JSDoc).

export interface WorkerFailure {
  type: 'error';
  message: string;
  /** Tail of what the wasm module printed. */
  log: string;
}

export interface GenerateJob {
  grey: Uint8Array;
  width: number;
  height: number;
  dpi: number;
  flags: string;
}

export interface GenerateSuccess {
  type: 'result';
  iset: Uint8Array;
  fset: Uint8Array;
  fset3: Uint8Array;
  cpuMs: number;
  log: string;
}

export interface GreySource {
  grey: Uint8Array;
  width: number;
  height: number;
}

export interface SelfTestScenarioJob {
  name: string;
  /** Index into `sources`, or null for an empty (background-only) frame. */
  source: number | null;
  /** Row-major 3×3: source pixel → frame pixel (pixel centres at integers). */
  homography: number[];
  background: number;
  /** Noise standard deviation, grey levels. */
  noise: number;
  frames: number;
  seed: number;
}

export interface SelfTestJob {
  camera: Uint8Array;
  frameWidth: number;
  frameHeight: number;
  marker: { iset: Uint8Array; fset: Uint8Array; fset3: Uint8Array };
  sources: GreySource[];
  scenarios: SelfTestScenarioJob[];
}

export interface SelfTestFrameReply {
  found: boolean;
  error: number;
  pose: number[] | null;
  ms: number;
}

export interface SelfTestSuccess {
  type: 'result';
  scenarios: { name: string; setupMs: number; frames: SelfTestFrameReply[] }[];
  cpuMs: number;
}
