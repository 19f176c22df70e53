import { useRef, useState, type SubmitEvent } from 'react';
import { api, ApiError } from '../api';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { TextField } from '../components/Field';
import { FileField } from '../components/FileField';
import { Icon } from '../components/Icon';
import { ImagePreview } from '../components/ImagePreview';
import { PageHeader } from '../components/PageHeader';
import { CancelUploadButton, UploadProgressBar } from '../components/UploadProgressBar';
import { hasDraft, useDraft } from '../hooks/useDraft';
import { useUpload } from '../hooks/useUpload';
import { navigate, useLocation } from '../router';
import { fieldErrors } from '../fieldErrors';

export const NEW_ORDER_DRAFT = 'new-order';
const DRAFT = NEW_ORDER_DRAFT;
const FIELDS = ['clientName', 'clientPhone', 'clientEmail', 'portrait', 'video'] as const;
type FieldName = (typeof FIELDS)[number];
type Errors = Partial<Record<FieldName, string>>;

const IMAGE_TYPES = 'image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif';
const VIDEO_TYPES = 'video/mp4,video/quicktime,video/webm';

function checkLocally(
  fields: { clientName: string; clientPhone: string; clientEmail: string },
  portrait: File | null,
  video: File | null,
): Errors {
  const errors: Errors = {};
  if (fields.clientName.trim() === '') errors.clientName = 'Enter the client’s name.';
  if (fields.clientPhone.replace(/\D/g, '').length < 6) {
    errors.clientPhone = 'Enter a phone number (at least 6 digits).';
  }
  if (
    fields.clientEmail.trim() !== '' &&
    !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.clientEmail.trim())
  ) {
    errors.clientEmail = 'This is not an e-mail address.';
  }
  if (portrait === null) errors.portrait = 'Choose the portrait photo.';
  else if (portrait.type !== '' && !portrait.type.startsWith('image/')) {
    errors.portrait = 'This file is not a photo (JPEG, PNG, WebP or HEIC).';
  }
  if (video === null) errors.video = 'Choose the video.';
  else if (video.type !== '' && !video.type.startsWith('video/')) {
    errors.video = 'This file is not a video (MP4, MOV or WebM).';
  }
  return errors;
}

/**
 * Client + portrait + video in one upload, with real progress (bytes sent). What is typed is
 * kept as a draft (reload, expired session); on success the order's page takes over.
 */
export function NewOrderPage() {
  const { state } = useLocation();
  const prefilledFor =
    typeof state === 'object' && state !== null && 'prefilledFor' in state
      ? String(state.prefilledFor)
      : null;
  const [restored] = useState(() => hasDraft(DRAFT));
  const [fields, setFields, clearDraft] = useDraft(DRAFT, {
    clientName: '',
    clientPhone: '',
    clientEmail: '',
  });
  const [portrait, setPortrait] = useState<File | null>(null);
  const [video, setVideo] = useState<File | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const { progress, start, cancel } = useUpload();
  const form = useRef<HTMLFormElement>(null);

  const focusFirstError = (found: Errors) => {
    const first = FIELDS.find((name) => found[name] !== undefined);
    if (first === undefined) return;
    const element = form.current?.querySelector<HTMLElement>(`[name="${first}"]`);
    element?.focus();
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(null);
    const local = checkLocally(fields, portrait, video);
    setErrors(local);
    if (Object.keys(local).length > 0 || portrait === null || video === null) {
      focusFirstError(local);
      return;
    }
    await start(
      portrait.size + video.size,
      (onProgress) =>
        api.createOrder(
          { ...fields, clientName: fields.clientName.trim(), portrait, video },
          onProgress,
        ),
      {
        done: (accepted) => {
          clearDraft();
          navigate(`/orders/${accepted.order.id}`, { state: { accepted } });
        },
        cancelled: () => {
          setFailure(new Error('Upload cancelled. Nothing was saved.'));
        },
        failed: (error) => {
          const byField = fieldErrors(error, FIELDS);
          setErrors(byField);
          setFailure(error);
          focusFirstError(byField);
        },
      },
    );
  };

  const uploading = progress !== null;
  const update = (name: 'clientName' | 'clientPhone' | 'clientEmail') => (value: string) => {
    setFields({ [name]: value });
    if (errors[name] !== undefined) setErrors({ ...errors, [name]: undefined });
  };
  const choose =
    (name: 'portrait' | 'video', setFile: (file: File | null) => void) => (file: File | null) => {
      setFile(file);
      setErrors({ ...errors, [name]: undefined });
    };

  return (
    <section>
      <PageHeader
        title="New order"
        subtitle="The client (found by phone, or created), the portrait photo and the video."
      />
      {prefilledFor !== null ? (
        <Notice tone="info">The client’s details are filled in for {prefilledFor}.</Notice>
      ) : (
        restored &&
        portrait === null &&
        video === null && (
          <Notice tone="info">
            Your typed details were restored. Choose the photo and the video again.
          </Notice>
        )
      )}
      <form
        ref={form}
        className="form form-wide"
        onSubmit={(event) => void submit(event)}
        noValidate
        aria-busy={uploading}
      >
        <fieldset disabled={uploading}>
          <legend>Client</legend>
          <TextField
            label="Client name"
            name="clientName"
            value={fields.clientName}
            onChange={update('clientName')}
            error={errors.clientName}
            autoComplete="off"
            maxLength={200}
            required
          />
          <TextField
            label="Phone"
            name="clientPhone"
            type="tel"
            inputMode="tel"
            value={fields.clientPhone}
            onChange={update('clientPhone')}
            error={errors.clientPhone}
            hint="An existing client with this phone gets the new order."
            autoComplete="off"
            maxLength={40}
            required
          />
          <TextField
            label="E-mail"
            name="clientEmail"
            type="email"
            value={fields.clientEmail}
            onChange={update('clientEmail')}
            error={errors.clientEmail}
            autoComplete="off"
            maxLength={254}
          />
        </fieldset>
        <fieldset disabled={uploading}>
          <legend>Files</legend>
          <div className="file-with-preview">
            <FileField
              label="Portrait photo"
              name="portrait"
              accept={IMAGE_TYPES}
              file={portrait}
              onChange={choose('portrait', setPortrait)}
              error={errors.portrait}
              hint="JPEG, PNG, WebP or HEIC; the sharper and more detailed, the better it tracks."
              required
            />
            <ImagePreview file={portrait} alt="Preview of the chosen portrait" />
          </div>
          <FileField
            label="Video"
            name="video"
            accept={VIDEO_TYPES}
            file={video}
            onChange={choose('video', setVideo)}
            error={errors.video}
            hint="MP4, MOV or WebM. It plays on the printed portrait."
            required
          />
        </fieldset>
        {progress !== null && <UploadProgressBar label="Uploading" progress={progress} />}
        <ErrorNotice
          error={failure}
          {...(failure instanceof ApiError && Object.values(errors).some(Boolean)
            ? { title: 'Please check the highlighted fields.' }
            : {})}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={uploading}>
            <Icon name="upload" />
            {uploading ? 'Uploading…' : 'Create order'}
          </button>
          {uploading && <CancelUploadButton onCancel={cancel} />}
        </div>
      </form>
    </section>
  );
}
