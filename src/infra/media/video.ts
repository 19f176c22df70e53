import type { VideoProbe } from './ffprobe.js';

export { probeVideo, DEFAULT_VIDEO_LIMITS } from './ffprobe.js';
export type { ProbeVideoOptions, Rotation, VideoLimits, VideoProbe } from './ffprobe.js';
export { checkFfmpeg, extractPoster, remuxFaststart, transcodeForPhones } from './ffmpeg.js';
export type { FfmpegInfo, PosterOptions, TranscodeOptions } from './ffmpeg.js';
export { decodeVideoFully, durationsAgree } from './video-integrity.js';
export type { DecodeCheckOptions, DecodedVideo } from './video-integrity.js';

/** What to do with an accepted upload to get a file every phone plays. */
export type VideoAction = 'keep' | 'remux' | 'transcode';

export interface VideoPlan {
  action: VideoAction;
  /** Why it is not `keep` (for logs and the admin UI). */
  reasons: string[];
}

export interface PlanOptions {
  /** Above this the file is re-encoded even when playable: it would stall on mobile data. */
  maxBitRate?: number;
}

/** H.264 profiles every iOS and Android hardware decoder handles. */
const PHONE_PROFILES = new Set(['Baseline', 'Constrained Baseline', 'Main', 'High']);
/** yuvj420p is the same layout in full range: what phones themselves record. */
const PHONE_PIXEL_FORMATS = new Set(['yuv420p', 'yuvj420p']);
/** Level 4.2 covers 1080p at 60 fps. */
const MAX_LEVEL = 42;

/** Everything that stops a phone's browser from playing this file as it is (empty = playable). */
export function phonePlaybackIssues(probe: VideoProbe): string[] {
  const issues: string[] = [];
  if (probe.container !== 'mp4' && probe.container !== 'mov') {
    issues.push(`container ${probe.container}`);
  }
  if (probe.videoCodec !== 'h264') issues.push(`video codec ${probe.videoCodec}`);
  if (probe.pixelFormat === null || !PHONE_PIXEL_FORMATS.has(probe.pixelFormat)) {
    issues.push(`pixel format ${probe.pixelFormat ?? 'unknown'}`);
  }
  if (probe.videoCodec === 'h264') {
    if (probe.videoProfile === null || !PHONE_PROFILES.has(probe.videoProfile)) {
      issues.push(`H.264 profile ${probe.videoProfile ?? 'unknown'}`);
    }
    if (probe.videoLevel !== null && probe.videoLevel > MAX_LEVEL) {
      issues.push(`H.264 level ${probe.videoLevel / 10}`);
    }
  }
  if (Math.min(probe.width, probe.height) > 1080 || Math.max(probe.width, probe.height) > 1920) {
    issues.push(`resolution ${probe.width}×${probe.height} above 1080p`);
  }
  if (probe.frameRate !== null && probe.frameRate > 61)
    issues.push(`frame rate ${probe.frameRate}`);
  if (probe.audioCodec !== null && probe.audioCodec !== 'aac') {
    issues.push(`audio codec ${probe.audioCodec}`);
  }
  return issues;
}

/** MP4/MOV, H.264 yuv420p ≤ 1080p, AAC or silent: a phone plays it without re-encoding. */
export function isPhonePlayable(probe: VideoProbe): boolean {
  return phonePlaybackIssues(probe).length === 0;
}

/**
 * Cheapest route to a phone-ready MP4: keep the original, copy the streams into an MP4 with
 * `moov` first (MOV, or `moov` at the end), or re-encode.
 */
export function planVideo(probe: VideoProbe, options: PlanOptions = {}): VideoPlan {
  const issues = phonePlaybackIssues(probe);
  const maxBitRate = options.maxBitRate ?? 12_000_000;
  if (probe.bitRate !== null && probe.bitRate > maxBitRate) {
    issues.push(`bit rate ${Math.round(probe.bitRate / 1000)} kb/s`);
  }
  if (issues.length > 0) return { action: 'transcode', reasons: issues };
  const reasons: string[] = [];
  if (probe.container !== 'mp4') reasons.push(`container ${probe.container}`);
  if (probe.faststart !== true) reasons.push('moov atom at the end');
  return reasons.length > 0 ? { action: 'remux', reasons } : { action: 'keep', reasons };
}
