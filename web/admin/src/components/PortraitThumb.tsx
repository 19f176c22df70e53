import { useState } from 'react';
import { api, sameOriginPath } from '../api';
import { useLocale, type Localized } from '../i18n';

const NO_IMAGE: Localized<(alt: string) => string> = {
  en: (alt) => `${alt} (no image yet)`,
  ru: (alt) => `${alt} (изображения пока нет)`,
};

/**
 * A portrait's small picture: the thumbnail (null until processing has made it), else the
 * display copy, else a placeholder.
 */
export function PortraitThumb({
  portraitId,
  thumbnailUrl,
  alt,
  size = 64,
}: {
  portraitId: string;
  thumbnailUrl: string | null;
  alt: string;
  size?: number;
}) {
  const thumbnail = sameOriginPath(thumbnailUrl);
  const candidates = thumbnail === null ? [] : [thumbnail, api.displayImageUrl(portraitId)];
  const [attempt, setAttempt] = useState(0);
  const locale = useLocale();
  const src = candidates[attempt];
  if (src === undefined) {
    return (
      <span
        className={`thumb thumb-empty thumb-${size}`}
        role="img"
        aria-label={NO_IMAGE[locale](alt)}
      >
        …
      </span>
    );
  }
  return (
    <img
      className={`thumb thumb-${size}`}
      src={src}
      alt={alt}
      width={size}
      height={size}
      loading="lazy"
      onError={() => {
        setAttempt((value) => value + 1);
      }}
    />
  );
}
