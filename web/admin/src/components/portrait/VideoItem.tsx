import { api, sameOriginPath, type Video } from '../../api';
import { formatDuration, useFormat } from '../../format';
import { useSession } from '../../session';
import { useCommonText } from '../commonText';
import { ConfirmButton } from '../ConfirmButton';
import { Icon } from '../Icon';
import { ActiveBadge, StatusBadge } from '../StatusBadge';
import { usePortraitText } from './portraitText';
import './videos.css';

/**
 * One video of a portrait: preview, status, activate, delete. The layout does not move when a
 * video becomes active (issue 12): the "Active" badge has its place kept on every row, "Make
 * active" stays (disabled) on the active one, and Delete sits apart at the far end, so it never
 * slides under the pointer that just pressed "Make active".
 */
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
  const text = usePortraitText();
  const common = useCommonText();
  const format = useFormat();
  const src = sameOriginPath(video.videoUrl);
  const poster = sameOriginPath(video.posterUrl);
  const name = text.videoName(number);
  const lowerName = text.videoNameLower(number);
  // Deletes are admin-only (the API answers 403 to operators): they replace a video instead.
  const canDelete = useSession().user?.role === 'admin';
  return (
    <li
      className={
        video.active ? 'video-item video-item-stable video-active' : 'video-item video-item-stable'
      }
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
          aria-label={text.preview(name)}
        />
      ) : (
        <div className="video-placeholder" aria-hidden="true">
          {video.status === 'processing' ? text.videoProcessing : text.noPreview}
        </div>
      )}
      <div className="video-meta">
        <p className="video-title">
          <strong>{name}</strong> <StatusBadge status={video.status} />{' '}
          {video.active ? (
            <ActiveBadge />
          ) : (
            // Keeps the badge's room, so the row does not grow or wrap when it becomes active.
            <span className="badge badge-good active-placeholder" aria-hidden="true">
              <Icon name="star" size={14} />
              <span>{common.active}</span>
            </span>
          )}
        </p>
        <p className="muted">
          {formatDuration(video.durationSeconds)} · {text.added(format.dateTime(video.createdAt))}
        </p>
        {video.error !== undefined && (
          // Plain words; the server's developer reason only behind "Details".
          <div className="field-error">
            <p>
              {text.videoFailed.message} {text.videoFailed.next}
            </p>
            <details className="failure-details">
              <summary>{text.details}</summary>
              <p className="muted">
                {text.technicalReason} <code>{video.error}</code>
              </p>
            </details>
          </div>
        )}
        <div className="actions video-actions">
          <button
            type="button"
            className="button video-make-active"
            disabled={video.active || video.status !== 'ready'}
            onClick={() => {
              api.activateVideo(video.id).then(() => {
                onChanged(text.isActive(name));
              }, onError);
            }}
          >
            {text.makeActive}
            <span className="visually-hidden"> ({name})</span>
          </button>
          {canDelete && (
            <ConfirmButton
              danger
              className="button button-danger video-delete"
              icon="trash"
              title={text.deleteVideoTitle(lowerName)}
              message={
                <p>
                  {text.deleteVideoMessage}
                  {video.active && text.deleteActiveVideo}
                </p>
              }
              confirmLabel={text.deleteVideoConfirm}
              onConfirm={async () => {
                await api.deleteVideo(video.id);
                onChanged(text.videoDeleted(name));
              }}
            >
              {text.deleteVideo}
              <span className="visually-hidden"> {lowerName}</span>
            </ConfirmButton>
          )}
        </div>
      </div>
    </li>
  );
}
