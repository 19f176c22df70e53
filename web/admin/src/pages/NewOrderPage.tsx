import { useRef, useState, type SubmitEvent } from 'react';
import { api, ApiError } from '../api';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { TextField } from '../components/Field';
import { FileField } from '../components/FileField';
import { Icon } from '../components/Icon';
import { ImagePreview } from '../components/ImagePreview';
import { PageHeader } from '../components/PageHeader';
import { useNewOrderText, type NewOrderText } from '../components/orders/newOrderText';
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
  words: NewOrderText['errors'],
): Errors {
  const errors: Errors = {};
  if (fields.clientName.trim() === '') errors.clientName = words.name;
  if (fields.clientPhone.replace(/\D/g, '').length < 6) errors.clientPhone = words.phone;
  if (
    fields.clientEmail.trim() !== '' &&
    !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.clientEmail.trim())
  ) {
    errors.clientEmail = words.email;
  }
  if (portrait === null) errors.portrait = words.noPortrait;
  else if (portrait.type !== '' && !portrait.type.startsWith('image/')) {
    errors.portrait = words.notPhoto;
  }
  if (video === null) errors.video = words.noVideo;
  else if (video.type !== '' && !video.type.startsWith('video/')) {
    errors.video = words.notVideo;
  }
  return errors;
}

/**
 * Client + portrait + video in one upload, with real progress (bytes sent). What is typed is
 * kept as a draft (reload, expired session); on success the order's page takes over.
 */
export function NewOrderPage() {
  const { state } = useLocation();
  const text = useNewOrderText();
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
    const local = checkLocally(fields, portrait, video, text.errors);
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
          setFailure(new Error(text.cancelled));
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
      <PageHeader title={text.title} subtitle={text.subtitle} />
      {prefilledFor !== null ? (
        <Notice tone="info">{text.prefilled(prefilledFor)}</Notice>
      ) : (
        restored &&
        portrait === null &&
        video === null && <Notice tone="info">{text.restored}</Notice>
      )}
      <form
        ref={form}
        className="form form-wide"
        onSubmit={(event) => void submit(event)}
        noValidate
        aria-busy={uploading}
      >
        <fieldset disabled={uploading}>
          <legend>{text.client}</legend>
          <TextField
            label={text.clientName}
            name="clientName"
            value={fields.clientName}
            onChange={update('clientName')}
            error={errors.clientName}
            autoComplete="off"
            maxLength={200}
            required
          />
          <TextField
            label={text.phone}
            name="clientPhone"
            type="tel"
            inputMode="tel"
            value={fields.clientPhone}
            onChange={update('clientPhone')}
            error={errors.clientPhone}
            hint={text.phoneHint}
            autoComplete="off"
            maxLength={40}
            required
          />
          <TextField
            label={text.email}
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
          <legend>{text.files}</legend>
          <div className="file-with-preview">
            <FileField
              label={text.portrait}
              name="portrait"
              accept={IMAGE_TYPES}
              file={portrait}
              onChange={choose('portrait', setPortrait)}
              error={errors.portrait}
              hint={text.portraitHint}
              required
            />
            <ImagePreview file={portrait} alt={text.preview} />
          </div>
          <FileField
            label={text.video}
            name="video"
            accept={VIDEO_TYPES}
            file={video}
            onChange={choose('video', setVideo)}
            error={errors.video}
            hint={text.videoHint}
            required
          />
        </fieldset>
        {progress !== null && <UploadProgressBar label={text.uploadLabel} progress={progress} />}
        <ErrorNotice
          error={failure}
          {...(failure instanceof ApiError && Object.values(errors).some(Boolean)
            ? { title: text.checkFields }
            : {})}
        />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={uploading}>
            <Icon name="upload" />
            {uploading ? text.uploading : text.create}
          </button>
          {uploading && <CancelUploadButton onCancel={cancel} />}
        </div>
      </form>
    </section>
  );
}
