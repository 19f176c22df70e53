import { useId } from 'react';
import type { UploadProgress } from '../api';
import { useFormat } from '../format';
import { useCommonText } from './commonText';

/** Bytes sent so far, as the browser reports them (XMLHttpRequest upload progress). */
export function UploadProgressBar({
  label,
  progress,
}: {
  label: string;
  progress: UploadProgress;
}) {
  const id = useId();
  const text = useCommonText();
  const format = useFormat();
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
        {text.sent(format.bytes(progress.loaded), format.bytes(progress.total), percent)}
        {finished ? text.checkingFiles : ''}
      </p>
      {/* Announced at every quarter, not at every progress event. */}
      <p className="visually-hidden" aria-live="polite">
        {finished ? text.uploadComplete : text.uploaded(quarter)}
      </p>
    </div>
  );
}

/** Stops the upload in progress. */
export function CancelUploadButton({ onCancel }: { onCancel: () => void }) {
  const text = useCommonText();
  return (
    <button type="button" className="button" onClick={onCancel}>
      {text.cancelUpload}
    </button>
  );
}
