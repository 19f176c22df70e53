import { useId, useState } from 'react';
import { api, ApiError, sameOriginPath } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { FileField } from '../components/FileField';
import { ImagePreview } from '../components/ImagePreview';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { formatBytes, formatDateTime } from '../format';
import { useFormSubmit, type FormFailure } from '../hooks/useFormSubmit';
import { useResource } from '../hooks/useResource';
import { useSession } from '../session';

const LOGO_TYPES = 'image/png,image/jpeg,image/webp';

/** A refusal of the file itself (type, size, damage) belongs next to the file field. */
function logoFailure(reason: unknown): FormFailure {
  const aboutFile =
    reason instanceof ApiError &&
    (reason.status === 413 || reason.status === 415 || reason.status === 422);
  return aboutFile
    ? { fields: { logo: reason.message }, error: null }
    : { fields: {}, error: reason };
}

/** Studio settings (admins): the logo the public AR page shows. */
export function StudioPage() {
  const { user } = useSession();
  const admin = user?.role === 'admin';
  const headingId = useId();
  const state = useResource((signal) => api.studioLogo(signal), []);
  const [file, setFile] = useState<File | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [fieldKey, setFieldKey] = useState(0);
  const { errors, error, busy, submit } = useFormSubmit({
    reset: () => {
      setMessage(null);
    },
    validate: (): Record<string, string> =>
      file === null ? { logo: 'Choose an image first.' } : {},
    send: async () => {
      if (file === null) return;
      const result = await api.uploadStudioLogo(file, () => undefined).done;
      state.set(result);
      setFile(null);
      // A new file input: the chosen file's name does not linger after the upload.
      setFieldKey((key) => key + 1);
      setMessage('The logo was saved.');
    },
    failed: logoFailure,
  });

  if (!admin) {
    return (
      <section>
        <PageHeader title="Studio" />
        <Notice tone="info">Only administrators change the studio settings.</Notice>
      </section>
    );
  }

  const logo = state.data?.logo ?? null;
  const logoUrl = sameOriginPath(logo?.url);
  return (
    <section>
      <PageHeader title="Studio" subtitle="What the public AR page shows about the studio" />
      <section className="card narrow" aria-labelledby={headingId}>
        <h2 id={headingId}>Logo</h2>
        {state.loading && <Loading what="Loading the logo" />}
        <ErrorNotice error={state.error} />
        {message !== null && <Notice tone="success">{message}</Notice>}
        {state.data !== undefined &&
          (logo !== null && logoUrl !== null ? (
            <figure className="studio-logo">
              <img src={logoUrl} alt="The studio logo" data-testid="studio-logo" />
              <figcaption className="hint">
                {logo.width}×{logo.height} px · {formatBytes(logo.sizeBytes)} · updated{' '}
                {formatDateTime(logo.updatedAt)}
              </figcaption>
            </figure>
          ) : (
            <p className="muted">No logo uploaded: the public page shows none.</p>
          ))}
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <div className="file-with-preview">
            <FileField
              key={fieldKey}
              label={logo === null ? 'Logo image' : 'New logo image'}
              name="logo"
              accept={LOGO_TYPES}
              file={file}
              onChange={(chosen) => {
                setFile(chosen);
                setMessage(null);
              }}
              error={errors.logo}
              hint="PNG, JPEG or WebP up to 5 MB. Stored as a PNG of at most 512 px, transparency kept, metadata removed."
              required
              disabled={busy}
            />
            <ImagePreview file={file} alt="Preview of the chosen logo" />
          </div>
          <ErrorNotice error={error} />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Uploading…' : logo === null ? 'Upload logo' : 'Replace logo'}
            </button>
            {logo !== null && (
              <ConfirmButton
                title="Remove the logo?"
                message="The public page will show no logo until a new one is uploaded."
                confirmLabel="Remove logo"
                danger
                onConfirm={async () => {
                  await api.removeStudioLogo();
                  state.set({ logo: null });
                  setMessage('The logo was removed.');
                }}
              >
                Remove logo
              </ConfirmButton>
            )}
          </div>
        </form>
      </section>
    </section>
  );
}
