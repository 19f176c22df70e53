/** The media layer: sharp for photos, ffmpeg/ffprobe for videos. No HTTP, no database. */
export { assertKind, sniff, sniffFile, SNIFF_BYTES } from './sniff.js';
export type { ImageType, RejectedType, SniffResult, VideoType } from './sniff.js';
export { DEFAULT_IMAGE_LIMITS, probeImage, processLogo, processPortrait } from './image.js';
export type {
  ImageLimits,
  ImageProbe,
  LogoOptions,
  PortraitOptions,
  ProcessedLogo,
  ProcessedPortrait,
  RenderedImage,
} from './image.js';
export {
  checkFfmpeg,
  decodeVideoFully,
  DEFAULT_VIDEO_LIMITS,
  durationsAgree,
  extractPoster,
  isPhonePlayable,
  phonePlaybackIssues,
  planVideo,
  probeVideo,
  remuxFaststart,
  transcodeForPhones,
} from './video.js';
export type {
  DecodeCheckOptions,
  DecodedVideo,
  FfmpegInfo,
  PlanOptions,
  PosterOptions,
  ProbeVideoOptions,
  Rotation,
  TranscodeOptions,
  VideoAction,
  VideoLimits,
  VideoPlan,
  VideoProbe,
} from './video.js';
export { isFaststart, readTopLevelAtoms, scanTopLevelAtoms } from './mp4-atoms.js';
export type { Atom, AtomScan } from './mp4-atoms.js';
export { DEFAULT_TOOLS } from './tools.js';
export type { MediaTools, ToolCallOptions } from './tools.js';
