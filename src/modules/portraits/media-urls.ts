const versionQuery = (imageVersion: number): string =>
  imageVersion > 1 ? `?v=${imageVersion}` : '';

/** Same-origin paths of public media (served by `media.routes.ts`). */
export const mediaUrls = {
  video: (videoId: string) => `/media/videos/${videoId}/video.mp4`,
  poster: (videoId: string) => `/media/videos/${videoId}/poster.jpg`,
  // A replaced photo's URLs name its version: they are cached as immutable, so a new photo
  // needs a new URL (the first photo keeps its plain one).
  portraitDisplay: (portraitId: string, imageVersion = 1) =>
    `/media/portraits/${portraitId}/display.jpg${versionQuery(imageVersion)}`,
  portraitThumbnail: (
    portraitId: string,
    size: 320 | 640 = 320,
    format: 'jpg' | 'webp' = 'webp',
    imageVersion = 1,
  ) => `/media/portraits/${portraitId}/thumb-${size}.${format}${versionQuery(imageVersion)}`,
};
