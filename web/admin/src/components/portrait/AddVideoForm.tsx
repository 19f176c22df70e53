import { useState, type SubmitEvent } from 'react';
import { api, type VideoAccepted } from '../../api';
import { fieldErrors } from '../../fieldErrors';
import { useUpload } from '../../hooks/useUpload';
import { ErrorNotice } from '../ErrorNotice';
import { FileField } from '../FileField';
import { Icon } from '../Icon';
import { CancelUploadButton, UploadProgressBar } from '../UploadProgressBar';
import { usePortraitText } from './portraitText';

/** Uploads another video for the portrait, with progress. */
export function AddVideoForm({
  portraitId,
  onAdded,
}: {
  portraitId: string;
  onAdded: (video: VideoAccepted) => void;
}) {
  const text = usePortraitText();
  const [file, setFile] = useState<File | null>(null);
  const { progress, start, cancel } = useUpload();
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [formKey, setFormKey] = useState(0);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    if (file === null) {
      setFieldError(text.chooseVideo);
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
        setError(new Error(text.uploadCancelled));
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
        label={text.addVideo}
        name="video"
        accept="video/mp4,video/quicktime,video/webm"
        file={file}
        onChange={setFile}
        error={fieldError}
        disabled={progress !== null}
        hint={text.addVideoHint}
      />
      {progress !== null && <UploadProgressBar label={text.uploadingVideo} progress={progress} />}
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" className="button" disabled={progress !== null}>
          <Icon name="upload" />
          {text.uploadVideo}
        </button>
        {progress !== null && <CancelUploadButton onCancel={cancel} />}
      </div>
    </form>
  );
}
