import { useId, useState } from 'react';
import { api, type PortraitDetail, type Video } from '../../api';
import { usePolling } from '../../hooks/usePolling';
import { useResource } from '../../hooks/useResource';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { Loading } from '../Loading';
import { AddVideoForm } from './AddVideoForm';
import { usePortraitText } from './portraitText';
import { VideoItem } from './VideoItem';

/** The active video as a one-item list, when the video list cannot be loaded. */
function fromActive(portrait: PortraitDetail): Video[] {
  const active = portrait.activeVideo;
  if (active === null) return [];
  return [
    {
      id: active.id,
      portraitId: portrait.id,
      status: active.status,
      active: true,
      ...(active.error !== undefined ? { error: active.error } : {}),
      durationSeconds: active.durationSeconds,
      posterUrl: active.posterUrl,
      videoUrl: active.videoUrl,
      createdAt: portrait.createdAt,
    },
  ];
}

/**
 * A portrait's videos: preview, activate, delete, add. Polls while one is processing. What an
 * action did is said below the list, so nothing above the pointer moves when it appears.
 */
export function VideosSection({
  portrait,
  onChanged,
}: {
  portrait: PortraitDetail;
  onChanged: () => void;
}) {
  const text = usePortraitText();
  const headingId = useId();
  const videos = useResource((signal) => api.listVideos(portrait.id, signal), [portrait.id]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const items = videos.data?.items ?? (videos.error !== null ? fromActive(portrait) : []);
  const processing = items.some((video) => video.status === 'processing');
  // "Video 1" is the first one uploaded, whatever order the list comes in.
  const chronological = [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const numberOf = (video: Video) => chronological.indexOf(video) + 1;
  usePolling(videos.reload, 2000, processing);

  const changed = (text: string) => {
    setActionError(null);
    setMessage(text);
    videos.reload();
    onChanged();
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.videosHeading}</h2>
      {videos.loading && <Loading what={text.loadingVideos} />}
      <ErrorNotice error={videos.error} title={text.videosFailed} />
      {items.length === 0 && !videos.loading && <p>{text.noVideos}</p>}
      <ol className="video-list">
        {items.map((video) => (
          <VideoItem
            key={video.id}
            video={video}
            number={numberOf(video)}
            onChanged={changed}
            onError={setActionError}
          />
        ))}
      </ol>
      <ErrorNotice error={actionError} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      <AddVideoForm
        portraitId={portrait.id}
        onAdded={() => {
          changed(text.videoUploaded);
        }}
      />
    </section>
  );
}
