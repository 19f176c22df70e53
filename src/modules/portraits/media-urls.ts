/** Same-origin paths of public media (served by `media.routes.ts`). */
export const mediaUrls = {
  video: (videoId: string) => `/media/videos/${videoId}/video.mp4`,
  poster: (videoId: string) => `/media/videos/${videoId}/poster.jpg`,
  portraitDisplay: (portraitId: string) => `/media/portraits/${portraitId}/display.jpg`,
  portraitThumbnail: (portraitId: string, size: 320 | 640 = 320, format: 'jpg' | 'webp' = 'webp') =>
    `/media/portraits/${portraitId}/thumb-${size}.${format}`,
};
