import { useId } from 'react';
import type { UploadProgress } from '../api';
import { formatBytes } from '../format';

/** Bytes sent so far, as the browser reports them (XMLHttpRequest upload progress). */
export function UploadProgressBar({
  label,
  progress,
}: {
  label: string;
  progress: UploadProgress;
}) {
  const id = useId();
  const percent = progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  const quarter = Math.floor(percent / 25) * 25;
  const finished = progress.total > 0 && progress.loaded >= progress.total;
  return (
    <div className="upload-progress">
      <label htmlFor={id}>{label}</label>
      <progress
        id={id}
        max={progress.total || 1}
        value={progress.loaded}
        data-testid="upload-progress"
      >
        {percent} %
      </progress>
      <p className="hint">
        {formatBytes(progress.loaded)} of {formatBytes(progress.total)} sent ({percent} %)
        {finished ? ' — the server is checking the files…' : ''}
      </p>
      {/* Announced at every quarter, not at every progress event. */}
      <p className="visually-hidden" aria-live="polite">
        {finished ? 'Upload complete, checking the files.' : `${String(quarter)} % uploaded.`}
      </p>
    </div>
  );
}

/** Stops the upload in progress. */
export function CancelUploadButton({ onCancel }: { onCancel: () => void }) {
  return (
    <button type="button" className="button" onClick={onCancel}>
      Cancel upload
    </button>
  );
}
