import { useId, useState } from 'react';
import { api, type PortraitDetail } from '../../api';
import { fieldErrors } from '../../fieldErrors';
import { useUpload } from '../../hooks/useUpload';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { FileField } from '../FileField';
import { CancelUploadButton, UploadProgressBar } from '../UploadProgressBar';
import { useReplaceText } from './replaceText';

const IMAGE_TYPES = 'image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif';

/**
 * "Replace photo" (`PUT /api/portraits/{id}/image`): for a failed portrait the way out, for a
 * ready one a reprint with another photo. The link and QR code stay. Not offered while the
 * portrait is being processed (the server would refuse: a marker is in progress).
 */
export function ReplacePhotoCard({
  portrait,
  onReplaced,
}: {
  portrait: PortraitDetail;
  onReplaced: () => void;
}) {
  const text = useReplaceText();
  const headingId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [accepted, setAccepted] = useState(false);
  const { progress, start, cancel } = useUpload();

  if (portrait.status === 'processing' && progress === null && !accepted) return null;
  const failed = portrait.status === 'failed';

  const upload = (chosen: File) => {
    setError(null);
    setAccepted(false);
    void start(
      chosen.size,
      (onProgress) => api.replacePortraitImage(portrait.id, chosen, onProgress),
      {
        done: () => {
          setFile(null);
          setFormKey((value) => value + 1);
          setAccepted(true);
          onReplaced();
        },
        cancelled: () => {
          setError(new Error(text.cancelled));
        },
        failed: (reason) => {
          setFieldError(fieldErrors(reason, ['portrait']).portrait);
          setError(reason);
        },
      },
    );
  };

  return (
    <section
      className={failed ? 'card replace-photo needs-attention' : 'card replace-photo'}
      aria-labelledby={headingId}
      data-testid="replace-photo"
    >
      <h2 id={headingId}>{failed ? text.failedTitle : text.reprintTitle}</h2>
      <p className="muted">{failed ? text.failedLead : text.reprintLead}</p>
      {accepted && <Notice tone="success">{text.accepted}</Notice>}
      {portrait.status !== 'processing' && (
        <>
          <FileField
            key={formKey}
            label={text.fileLabel}
            name="portrait"
            accept={IMAGE_TYPES}
            file={file}
            onChange={(chosen) => {
              setFile(chosen);
              setFieldError(undefined);
            }}
            error={fieldError}
            disabled={progress !== null}
            hint={text.fileHint}
          />
          <div className="actions">
            <ConfirmButton
              icon="upload"
              danger={false}
              disabled={progress !== null}
              title={text.confirmTitle}
              message={<p>{text.confirmMessage}</p>}
              confirmLabel={text.confirmLabel}
              onConfirm={async () => {
                if (file === null) {
                  setFieldError(text.chooseFirst);
                  return;
                }
                // The dialog closes at once; the progress shows on the card.
                upload(file);
                await Promise.resolve();
              }}
            >
              {text.button}
            </ConfirmButton>
          </div>
        </>
      )}
      {progress !== null && (
        <div className="actions">
          <UploadProgressBar label={text.uploading} progress={progress} />
          <CancelUploadButton onCancel={cancel} />
        </div>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}
