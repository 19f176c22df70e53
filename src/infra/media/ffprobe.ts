import { stat } from 'node:fs/promises';
import { isFaststart, scanTopLevelAtoms } from './mp4-atoms.js';
import { lastLine, runTool } from './run-tool.js';
import type { VideoType } from './sniff.js';
import { DEFAULT_TOOLS, untrustedInputArgs } from './tools.js';
import type { ToolCallOptions } from './tools.js';
import { rejectedMedia } from './rejected-media.js';
import { durationsAgree } from './video-integrity.js';

export interface VideoLimits {
  maxDurationSeconds: number;
  /** Longest side in pixels (8K is 7680). */
  maxSide: number;
  /** Shortest side in pixels. */
  minSide: number;
}

export const DEFAULT_VIDEO_LIMITS: VideoLimits = {
  maxDurationSeconds: 300,
  maxSide: 8192,
  minSide: 64,
};

export type Rotation = 0 | 90 | 180 | 270;

export interface VideoProbe {
  /** From the magic bytes: ffprobe names MP4 and MOV (or WebM and MKV) alike. */
  container: VideoType;
  durationSeconds: number;
  /** As displayed, i.e. with `rotation` applied (a phone's portrait video is 1080×1920). */
  width: number;
  height: number;
  /** Clockwise degrees the player turns the stored frames (container display matrix). */
  rotation: Rotation;
  videoCodec: string;
  videoProfile: string | null;
  /** H.264 level × 10 (41 = 4.1) as ffprobe reports it; null when unknown. */
  videoLevel: number | null;
  pixelFormat: string | null;
  frameRate: number | null;
  /** Null when there is no audio stream. */
  audioCodec: string | null;
  /** Bits per second of the whole file; null when unknown. */
  bitRate: number | null;
  /** MP4/MOV: `moov` before the media data; null for Matroska/WebM (not applicable). */
  faststart: boolean | null;
  sizeBytes: number;
}

export interface ProbeVideoOptions extends ToolCallOptions {
  limits?: Partial<VideoLimits>;
}

type JsonObject = Record<string, unknown>;

/**
 * Reads an uploaded video with ffprobe (after a magic-byte check, with the demuxer forced) and
 * refuses what the product cannot use: no video stream, unknown or excessive duration, absurd
 * dimensions. Anything ffprobe cannot read is `unsupported_media`. Fast integrity checks, from
 * headers only: an MP4/MOV cut short is `video_truncated`; a header duration that disagrees
 * with the video track or with its frame count is `video_duration_mismatch` (the full decode
 * in the video job catches the rest).
 */
export async function probeVideo(
  path: string,
  options: ProbeVideoOptions = {},
): Promise<VideoProbe> {
  const limits = { ...DEFAULT_VIDEO_LIMITS, ...options.limits };
  const { size: sizeBytes } = await stat(path);
  const input = await untrustedInputArgs(path);
  const isoFile = input.type === 'mp4' || input.type === 'mov';
  const atoms = isoFile ? await scanTopLevelAtoms(path) : undefined;
  if (atoms?.truncated === true) {
    throw rejectedMedia('video_truncated', 422, 'The video file is cut short (incomplete upload?)');
  }
  const tools = options.tools ?? DEFAULT_TOOLS;
  const result = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...input.args],
    {
      timeoutMs: options.timeoutMs ?? 30_000,
      signal: options.signal,
      maxStdoutBytes: 4 * 1024 * 1024,
    },
  );
  const parsed = result.exitCode === 0 ? parseJson(result.stdout) : undefined;
  if (!parsed) {
    throw rejectedMedia('unsupported_media', 415, 'The video file cannot be read', {
      detected: input.type,
      reason: lastLine(result.stderr),
    });
  }
  const streams = Array.isArray(parsed.streams) ? parsed.streams.map(asObject) : [];
  const format = asObject(parsed.format);
  const video = streams.find(
    (stream) => stream.codec_type === 'video' && asObject(stream.disposition).attached_pic !== 1, // cover art
  );
  if (!video) {
    throw rejectedMedia('video_no_video_stream', 422, 'The file has no video track');
  }
  const audio = streams.find((stream) => stream.codec_type === 'audio');

  const durationSeconds = toNumber(format.duration) ?? toNumber(video.duration) ?? Number.NaN;
  if (!(durationSeconds > 0)) {
    throw rejectedMedia('video_invalid_duration', 422, 'The video has no playable duration');
  }
  checkDurationConsistency(durationSeconds, video);
  if (durationSeconds > limits.maxDurationSeconds) {
    throw rejectedMedia(
      'video_too_long',
      422,
      `The video is ${Math.round(durationSeconds)} s long; the limit is ${limits.maxDurationSeconds} s`,
      { durationSeconds, maxDurationSeconds: limits.maxDurationSeconds },
    );
  }

  const codedWidth = toNumber(video.width) ?? 0;
  const codedHeight = toNumber(video.height) ?? 0;
  const short = Math.min(codedWidth, codedHeight);
  const long = Math.max(codedWidth, codedHeight);
  if (short < limits.minSide || long > limits.maxSide) {
    throw rejectedMedia(
      'video_bad_dimensions',
      422,
      `The video is ${codedWidth}×${codedHeight} px; sides must be ${limits.minSide}–${limits.maxSide} px`,
      { width: codedWidth, height: codedHeight, minSide: limits.minSide, maxSide: limits.maxSide },
    );
  }

  const rotation = rotationOf(video);
  const sideways = rotation === 90 || rotation === 270;
  const level = toNumber(video.level);
  return {
    container: input.type,
    durationSeconds,
    width: sideways ? codedHeight : codedWidth,
    height: sideways ? codedWidth : codedHeight,
    rotation,
    videoCodec: typeof video.codec_name === 'string' ? video.codec_name : 'unknown',
    videoProfile: typeof video.profile === 'string' ? video.profile : null,
    videoLevel: level !== undefined && level > 0 ? level : null,
    pixelFormat: typeof video.pix_fmt === 'string' ? video.pix_fmt : null,
    frameRate: parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate),
    audioCodec: audio && typeof audio.codec_name === 'string' ? audio.codec_name : null,
    bitRate: toNumber(format.bit_rate) ?? null,
    faststart: atoms === undefined ? null : (isFaststart(atoms.atoms) ?? false),
    sizeBytes,
  };
}

/**
 * The container's duration must match the video track's and the track's frame count at its
 * frame rate (MP4/MOV headers list every frame; Matroska has no count, the decode checks it).
 */
function checkDurationConsistency(durationSeconds: number, video: JsonObject): void {
  const trackSeconds = toNumber(video.duration);
  const frames = toNumber(video.nb_frames);
  const rate = parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate);
  const framesSeconds = frames !== undefined && frames > 0 && rate !== null ? frames / rate : null;
  for (const actual of [trackSeconds, framesSeconds]) {
    if (actual === undefined || actual === null || durationsAgree(actual, durationSeconds))
      continue;
    throw rejectedMedia(
      'video_duration_mismatch',
      422,
      `The video's header says ${durationSeconds.toFixed(1)} s but its frames last ${actual.toFixed(1)} s`,
      { claimedSeconds: durationSeconds, framesSeconds: actual },
    );
  }
}

/**
 * ffprobe 5+ reports the display matrix as side data (`rotation: -90` = turn 90° clockwise);
 * older files/tools may still carry a `rotate` tag (already clockwise).
 */
function rotationOf(video: JsonObject): Rotation {
  const sideData = Array.isArray(video.side_data_list) ? video.side_data_list.map(asObject) : [];
  const matrix = sideData.find((entry) => toNumber(entry.rotation) !== undefined);
  const degrees =
    matrix !== undefined
      ? -(toNumber(matrix.rotation) ?? 0)
      : (toNumber(asObject(video.tags).rotate) ?? 0);
  const quarter = (((Math.round(degrees / 90) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  return ([0, 90, 180, 270] as const)[quarter];
}

function parseRate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const [numerator, denominator] = value.split('/').map(Number);
  if (!numerator || !denominator || !Number.isFinite(numerator / denominator)) return null;
  return numerator / denominator;
}

function parseJson(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? asObject(value) : undefined;
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

/** ffprobe prints most numbers as strings ("4.000000"). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
