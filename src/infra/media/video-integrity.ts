import { lastLine, runTool } from './run-tool.js';
import { rejectedMedia } from './rejected-media.js';
import { DEFAULT_TOOLS, untrustedInputArgs } from './tools.js';
import type { ToolCallOptions } from './tools.js';

export interface DecodedVideo {
  /** Frames of the first video stream that decoded. */
  frames: number;
  /** End of the last decoded frame: how long the video really plays. */
  durationSeconds: number;
}

export interface DecodeCheckOptions extends ToolCallOptions {
  /** What the file's header says (`VideoProbe.durationSeconds`). */
  claimedSeconds: number;
  /** The configured limit: a header may hide a longer video than it admits. */
  maxDurationSeconds?: number;
}

const DEFAULT_DECODE_TIMEOUT_MS = 10 * 60_000;
/** What ffmpeg's demuxers print when the data stops before the index says it should. */
const TRUNCATION = /partial file|ended prematurely|truncat/i;

/**
 * Two durations of one file that agree: within 2 s or 10 % of the longer. Audio may run a
 * little past the picture and an edit list may trim a few frames; a header that claims 5 s for
 * an hour of frames (or the reverse) is far outside.
 */
export function durationsAgree(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(2, 0.1 * Math.max(a, b));
}

/**
 * Decodes every frame of the first video stream (`-xerror`: the first damaged frame stops it)
 * and checks that the frames last as long as the header claims. A cut-off file is
 * `video_truncated`, damaged frames `video_corrupt`, a lying header `video_duration_mismatch`,
 * frames beyond the limit `video_too_long`; all are permanent (422).
 */
export async function decodeVideoFully(
  input: string,
  options: DecodeCheckOptions,
): Promise<DecodedVideo> {
  const { args: inputArgs } = await untrustedInputArgs(input);
  const tools = options.tools ?? DEFAULT_TOOLS;
  const result = await runTool(
    tools.ffmpeg,
    [
      ...['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'error', '-xerror'],
      ...inputArgs,
      ...['-map', '0:v:0', '-progress', 'pipe:1', '-f', 'null', '-'],
    ],
    {
      timeoutMs: options.timeoutMs ?? DEFAULT_DECODE_TIMEOUT_MS,
      signal: options.signal,
      maxStdoutBytes: 64 * 1024 * 1024,
    },
  );
  const reason = lastLine(result.stderr);
  if (TRUNCATION.test(result.stderr)) {
    throw rejectedMedia(
      'video_truncated',
      422,
      'The video file is cut short (incomplete upload?)',
      {
        reason,
      },
    );
  }
  const decoded = parseProgress(result.stdout);
  if (result.exitCode !== 0 || decoded === undefined || decoded.frames === 0) {
    throw rejectedMedia('video_corrupt', 422, 'The video has damaged frames and cannot be played', {
      exitCode: result.exitCode,
      reason: reason || 'no frames decoded',
    });
  }
  const claimed = options.claimedSeconds;
  if (!durationsAgree(decoded.durationSeconds, claimed)) {
    throw rejectedMedia(
      'video_duration_mismatch',
      422,
      `The video's frames last ${decoded.durationSeconds.toFixed(1)} s but its header says ${claimed.toFixed(1)} s`,
      { decodedSeconds: decoded.durationSeconds, claimedSeconds: claimed },
    );
  }
  const max = options.maxDurationSeconds;
  if (max !== undefined && decoded.durationSeconds > max) {
    throw rejectedMedia(
      'video_too_long',
      422,
      `The video is ${Math.round(decoded.durationSeconds)} s long; the limit is ${max} s`,
      { durationSeconds: decoded.durationSeconds, maxDurationSeconds: max },
    );
  }
  return decoded;
}

/** The last `frame=` and `out_time_us=` of ffmpeg's `-progress` report. */
function parseProgress(stdout: string): DecodedVideo | undefined {
  const last = (key: string): number | undefined => {
    const matches = [...stdout.matchAll(new RegExp(`^${key}=(\\d+)$`, 'gm'))];
    const value = matches.at(-1)?.[1];
    return value === undefined ? undefined : Number(value);
  };
  const frames = last('frame');
  const micros = last('out_time_us');
  if (frames === undefined || micros === undefined) return undefined;
  return { frames, durationSeconds: micros / 1_000_000 };
}
