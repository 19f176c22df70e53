import { assertKind, sniffFile } from './sniff.js';
import type { VideoType } from './sniff.js';

/** Where the binaries are; the Debian packages put them on PATH. */
export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

export const DEFAULT_TOOLS: MediaTools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

/** Options every ffmpeg/ffprobe call takes. */
export interface ToolCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  tools?: MediaTools;
}

const DEMUXER: Record<VideoType, string> = {
  mp4: 'mov',
  mov: 'mov',
  webm: 'matroska',
  mkv: 'matroska',
};

/**
 * ffmpeg/ffprobe input arguments for an untrusted upload. The demuxer is forced from the sniffed
 * type, so ffmpeg never auto-detects a playlist (HLS, concat) that could make it read other
 * files or URLs; only the `file` protocol is allowed; `file:` keeps a name like `-x` or `a:b`
 * from being read as an option or a protocol.
 */
export async function untrustedInputArgs(
  path: string,
): Promise<{ type: VideoType; args: string[] }> {
  const type = assertKind(await sniffFile(path), 'video');
  return {
    type,
    args: ['-f', DEMUXER[type], '-protocol_whitelist', 'file', '-i', `file:${path}`],
  };
}
