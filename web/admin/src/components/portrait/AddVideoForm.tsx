import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, type Upload, type UploadProgress, type VideoAccepted } from '../../api';
import { fieldErrors } from '../../fieldErrors';
import { ErrorNotice } from '../ErrorNotice';
import { FileField } from '../FileField';
import { Icon } from '../Icon';
import { UploadProgressBar } from '../UploadProgressBar';

/** Uploads another video for the portrait, with progress. */
export function AddVideoForm({
  portraitId,
  onAdded,
}: {
  portraitId: string;
  onAdded: (video: VideoAccepted) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const upload = useRef<Upload<VideoAccepted> | null>(null);
  const [formKey, setFormKey] = useState(0);

  useEffect(
    () => () => {
      upload.current?.abort();
    },
    [],
  );

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    if (file === null) {
      setFieldError('Choose a video file.');
      return;
    }
    setFieldError(undefined);
    setProgress({ loaded: 0, total: file.size });
    const started = api.addVideo(portraitId, file, setProgress);
    upload.current = started;
    try {
      const video = await started.done;
      setFile(null);
      setFormKey((value) => value + 1);
      onAdded(video);
    } catch (reason) {
      if (reason instanceof DOMException && reason.name === 'AbortError') {
        setError(new Error('Upload cancelled.'));
      } else {
        setFieldError(fieldErrors(reason, ['video']).video);
        setError(reason);
      }
    } finally {
      upload.current = null;
      setProgress(null);
    }
  };

  return (
    <form className="form add-video" onSubmit={(event) => void submit(event)} noValidate>
      <FileField
        key={formKey}
        label="Add a video"
        name="video"
        accept="video/mp4,video/quicktime,video/webm"
        file={file}
        onChange={setFile}
        error={fieldError}
        disabled={progress !== null}
        hint="It is processed for phones, then you can make it the active one."
      />
      {progress !== null && <UploadProgressBar label="Uploading the video" progress={progress} />}
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" className="button" disabled={progress !== null}>
          <Icon name="upload" />
          Upload video
        </button>
        {progress !== null && (
          <button
            type="button"
            className="button"
            onClick={() => {
              upload.current?.abort();
            }}
          >
            Cancel upload
          </button>
        )}
      </div>
    </form>
  );
}
