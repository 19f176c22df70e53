import { useState, type SubmitEvent } from 'react';
import { api, type VideoAccepted } from '../../api';
import { fieldErrors } from '../../fieldErrors';
import { useUpload } from '../../hooks/useUpload';
import { ErrorNotice } from '../ErrorNotice';
import { FileField } from '../FileField';
import { Icon } from '../Icon';
import { CancelUploadButton, UploadProgressBar } from '../UploadProgressBar';

/** Uploads another video for the portrait, with progress. */
export function AddVideoForm({
  portraitId,
  onAdded,
}: {
  portraitId: string;
  onAdded: (video: VideoAccepted) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const { progress, start, cancel } = useUpload();
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [formKey, setFormKey] = useState(0);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    if (file === null) {
      setFieldError('Choose a video file.');
      return;
    }
    setFieldError(undefined);
    await start(file.size, (onProgress) => api.addVideo(portraitId, file, onProgress), {
      done: (video) => {
        setFile(null);
        setFormKey((value) => value + 1);
        onAdded(video);
      },
      cancelled: () => {
        setError(new Error('Upload cancelled.'));
      },
      failed: (reason) => {
        setFieldError(fieldErrors(reason, ['video']).video);
        setError(reason);
      },
    });
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
        {progress !== null && <CancelUploadButton onCancel={cancel} />}
      </div>
    </form>
  );
}
