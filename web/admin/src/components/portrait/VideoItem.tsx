import { api, sameOriginPath, type Video } from '../../api';
import { formatDateTime, formatDuration } from '../../format';
import { useSession } from '../../session';
import { ConfirmButton } from '../ConfirmButton';
import { ActiveBadge, StatusBadge } from '../StatusBadge';

/** One video of a portrait: preview, status, activate, delete. */
export function VideoItem({
  video,
  number,
  onChanged,
  onError,
}: {
  video: Video;
  /** 1 for the first video uploaded. */
  number: number;
  onChanged: (message: string) => void;
  onError: (error: unknown) => void;
}) {
  const src = sameOriginPath(video.videoUrl);
  const poster = sameOriginPath(video.posterUrl);
  const name = `Video ${number}`;
  // Deletes are admin-only (the API answers 403 to operators): they replace a video instead.
  const canDelete = useSession().user?.role === 'admin';
  return (
    <li
      className={video.active ? 'video-item video-active' : 'video-item'}
      data-video-id={video.id}
    >
      {video.status === 'ready' && src !== null ? (
        <video
          className="video-preview"
          controls
          preload="none"
          playsInline
          muted
          src={src}
          {...(poster !== null ? { poster } : {})}
          aria-label={`${name} preview`}
        />
      ) : (
        <div className="video-placeholder" aria-hidden="true">
          {video.status === 'processing' ? 'Processing…' : 'No preview'}
        </div>
      )}
      <div className="video-meta">
        <p>
          <strong>{name}</strong> {video.active && <ActiveBadge />}{' '}
          <StatusBadge status={video.status} />
        </p>
        <p className="muted">
          {formatDuration(video.durationSeconds)} · added {formatDateTime(video.createdAt)}
        </p>
        {video.error !== undefined && <p className="field-error">{video.error}</p>}
        <div className="actions">
          {!video.active && (
            <button
              type="button"
              className="button"
              disabled={video.status !== 'ready'}
              onClick={() => {
                api.activateVideo(video.id).then(() => {
                  onChanged(`${name} is now active: the public page plays it.`);
                }, onError);
              }}
            >
              Make active<span className="visually-hidden"> ({name})</span>
            </button>
          )}
          {canDelete && (
            <ConfirmButton
              danger
              icon="trash"
              title={`Delete ${name.toLowerCase()}?`}
              message={
                <p>
                  The video is removed for good.
                  {video.active &&
                    ' It is the active one: the most recent remaining video becomes active, or the public page says that no video is available.'}
                </p>
              }
              confirmLabel="Delete video"
              onConfirm={async () => {
                await api.deleteVideo(video.id);
                onChanged(`${name} was deleted.`);
              }}
            >
              Delete<span className="visually-hidden"> {name.toLowerCase()}</span>
            </ConfirmButton>
          )}
        </div>
      </div>
    </li>
  );
}
