import { randomUUID } from 'node:crypto';
import { rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorCode } from '../../shared/error-codes.js';
import { AppError } from '../../shared/errors.js';
import { lastLine, runTool } from './run-tool.js';
import { DEFAULT_TOOLS, untrustedInputArgs } from './tools.js';
import type { MediaTools, ToolCallOptions } from './tools.js';
import { rejectedMedia } from './rejected-media.js';

export interface TranscodeOptions extends ToolCallOptions {
  /**
   * Bounds on the shorter and longer side ("1080p" for a landscape or a portrait video alike:
   * a phone's portrait 1080×1920 stays as it is). Never upscales.
   */
  maxShortSide?: number;
  maxLongSide?: number;
  /** x264 constant rate factor: 23 is its default, visually good at a modest size. */
  crf?: number;
  preset?: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium';
  audioBitrate?: string;
  /** ffmpeg threads; 0 = ffmpeg decides. Workers on a shared box may want 1–2. */
  threads?: number;
}

export interface PosterOptions extends ToolCallOptions {
  /** Where to take the frame; default 10 % of `durationSeconds`, else 0.5 s. */
  atSeconds?: number;
  durationSeconds?: number;
  /** Longest side of the poster (so also ≤ this wide). */
  maxSide?: number;
}

export interface FfmpegInfo {
  ffmpeg: { path: string; version: string };
  ffprobe: { path: string; version: string };
  encoders: { libx264: boolean; aac: boolean; mjpeg: boolean };
}

const DEFAULT_TRANSCODE_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_QUICK_TIMEOUT_MS = 60_000;
/** No progress bar, errors only, never wait on stdin. */
const COMMON_ARGS = ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'error', '-y'];
/** No metadata (GPS `location`, title, comment, creation time, device, handler names) carried over. */
const STRIP_METADATA = ['-map_metadata', '-1', '-map_chapters', '-1'];

/**
 * Re-encodes any accepted video into what every phone plays: H.264 (High, yuv420p, even
 * dimensions, ≤ 60 fps) + AAC stereo (or no audio when there is none) in MP4 with `moov` first.
 * ffmpeg applies the rotation to the pixels (autorotate), so the output needs no display matrix.
 */
export async function transcodeForPhones(
  input: string,
  output: string,
  options: TranscodeOptions = {},
): Promise<void> {
  const short = options.maxShortSide ?? 1080;
  const long = options.maxLongSide ?? 1920;
  const { args: inputArgs } = await untrustedInputArgs(input);
  await runFfmpeg(
    output,
    (temp) => [
      ...inputArgs,
      ...['-map', '0:v:0', '-map', '0:a:0?'],
      ...['-vf', fitFilter(long, short), '-fpsmax', '60'],
      ...['-c:v', 'libx264', '-preset', options.preset ?? 'veryfast'],
      ...['-crf', String(options.crf ?? 23), '-profile:v', 'high', '-pix_fmt', 'yuv420p'],
      ...['-c:a', 'aac', '-b:a', options.audioBitrate ?? '128k', '-ac', '2'],
      ...['-threads', String(options.threads ?? 0)],
      ...STRIP_METADATA,
      ...['-movflags', '+faststart', '-f', 'mp4', `file:${temp}`],
    ],
    { timeoutMs: DEFAULT_TRANSCODE_TIMEOUT_MS, ...options },
    'video_transcode_failed',
  );
}

/**
 * For a file that is already H.264/AAC (`moov` first or last, MP4 or MOV): copies the first
 * video and audio streams byte for byte into a new MP4 with `moov` first and without the
 * upload's metadata (global and per-stream tags, QuickTime `udta`/`meta`, chapters, other
 * tracks). Seconds, not minutes: nothing is re-encoded.
 */
export async function remuxFaststart(
  input: string,
  output: string,
  options: ToolCallOptions = {},
): Promise<void> {
  const { args: inputArgs } = await untrustedInputArgs(input);
  await runFfmpeg(
    output,
    (temp) => [
      ...inputArgs,
      ...['-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy'],
      ...STRIP_METADATA,
      ...['-movflags', '+faststart', '-f', 'mp4', `file:${temp}`],
    ],
    { timeoutMs: DEFAULT_QUICK_TIMEOUT_MS, ...options },
    'video_transcode_failed',
  );
}

/**
 * A JPEG poster frame (shown before the video plays), upright, no larger than `maxSide`
 * (1280). When the chosen moment is past the end (a duration was wrong), falls back to the
 * first frame.
 */
export async function extractPoster(
  input: string,
  output: string,
  options: PosterOptions = {},
): Promise<void> {
  const maxSide = options.maxSide ?? 1280;
  const at =
    options.atSeconds ??
    (options.durationSeconds !== undefined && options.durationSeconds > 0
      ? options.durationSeconds * 0.1
      : 0.5);
  const { args: inputArgs } = await untrustedInputArgs(input);
  const attempt = (seconds: number): Promise<void> =>
    runFfmpeg(
      output,
      (temp) => [
        // `-ss` before `-i`: a fast keyframe seek, then decoding to the exact moment.
        ...['-ss', seconds.toFixed(3), ...inputArgs],
        ...['-map', '0:v:0', '-frames:v', '1', '-vf', fitFilter(maxSide, maxSide)],
        ...['-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p'],
        ...STRIP_METADATA,
        ...['-f', 'image2', '-update', '1', `file:${temp}`],
      ],
      { timeoutMs: DEFAULT_QUICK_TIMEOUT_MS, ...options },
      'video_poster_failed',
    );
  try {
    await attempt(at);
  } catch (error) {
    const noFrame = error instanceof AppError && error.code === 'video_poster_failed';
    if (!noFrame || at === 0) throw error;
    await attempt(0);
  }
}

/** Start-up check: both binaries run, and the encoders we rely on are compiled in. */
export async function checkFfmpeg(tools: MediaTools = DEFAULT_TOOLS): Promise<FfmpegInfo> {
  const run = (command: string, args: string[]) =>
    runTool(command, ['-hide_banner', ...args], { timeoutMs: 15_000 });
  const [ffmpegVersion, ffprobeVersion, encoderList] = await Promise.all([
    run(tools.ffmpeg, ['-version']),
    run(tools.ffprobe, ['-version']),
    run(tools.ffmpeg, ['-encoders']),
  ]);
  const versionOf = (name: string, stdout: string): string => {
    const match = new RegExp(`^${name} version (\\S+)`).exec(stdout);
    if (!match?.[1]) {
      throw new AppError('ffmpeg_unavailable', 503, `${name} did not report a version`);
    }
    return match[1];
  };
  const hasEncoder = (name: string): boolean =>
    new RegExp(`^\\s[.A-Z]{6}\\s+${name}\\s`, 'm').test(encoderList.stdout);
  const info: FfmpegInfo = {
    ffmpeg: { path: tools.ffmpeg, version: versionOf('ffmpeg', ffmpegVersion.stdout) },
    ffprobe: { path: tools.ffprobe, version: versionOf('ffprobe', ffprobeVersion.stdout) },
    encoders: {
      libx264: hasEncoder('libx264'),
      aac: hasEncoder('aac'),
      mjpeg: hasEncoder('mjpeg'),
    },
  };
  const missing = Object.entries(info.encoders)
    .filter(([, present]) => !present)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new AppError('ffmpeg_unavailable', 503, `ffmpeg lacks encoders: ${missing.join(', ')}`, {
      missing,
    });
  }
  return info;
}

/**
 * Fit inside a `long`×`short` box whichever way the frame is oriented, keep the aspect ratio,
 * never upscale, round to even sizes (required by yuv420p). Quotes protect the commas.
 */
function fitFilter(long: number, short: number): string {
  const width = `'if(gte(iw,ih),min(iw,${long}),min(iw,${short}))'`;
  const height = `'if(gte(iw,ih),min(ih,${short}),min(ih,${long}))'`;
  return `scale=w=${width}:h=${height}:force_original_aspect_ratio=decrease:force_divisible_by=2`;
}

/**
 * Runs ffmpeg into a temp file beside `output` and renames it into place only on success, so
 * nobody ever sees a half-written file; on failure, timeout or abort the temp file is removed
 * (after ffmpeg has exited, so it cannot write again).
 */
async function runFfmpeg(
  output: string,
  buildArgs: (temp: string) => string[],
  options: ToolCallOptions & { timeoutMs: number },
  failureCode: ErrorCode,
): Promise<void> {
  const temp = path.join(path.dirname(output), `.${path.basename(output)}.${randomUUID()}.part`);
  try {
    const tools = options.tools ?? DEFAULT_TOOLS;
    const result = await runTool(tools.ffmpeg, [...COMMON_ARGS, ...buildArgs(temp)], options);
    const written = await stat(temp).then(
      (info) => info.size,
      () => 0,
    );
    if (result.exitCode !== 0 || written === 0) {
      throw rejectedMedia(failureCode, 422, 'The video could not be processed', {
        exitCode: result.exitCode,
        reason: lastLine(result.stderr) || 'no output',
      });
    }
    await rename(temp, output);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
