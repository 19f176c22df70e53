import { useId, useState } from 'react';
import { api, ApiError, sameOriginPath } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { FileField } from '../components/FileField';
import { ImagePreview } from '../components/ImagePreview';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { useStudioText } from '../components/studio/studioText';
import { useFormat } from '../format';
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
  const text = useStudioText();
  const format = useFormat();
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
    validate: (): Record<string, string> => (file === null ? { logo: text.chooseFirst } : {}),
    send: async () => {
      if (file === null) return;
      const result = await api.uploadStudioLogo(file, () => undefined).done;
      state.set(result);
      setFile(null);
      // A new file input: the chosen file's name does not linger after the upload.
      setFieldKey((key) => key + 1);
      setMessage(text.saved);
    },
    failed: logoFailure,
  });

  if (!admin) {
    return (
      <section>
        <PageHeader title={text.title} />
        <Notice tone="info">{text.adminsOnly}</Notice>
      </section>
    );
  }

  const logo = state.data?.logo ?? null;
  const logoUrl = sameOriginPath(logo?.url);
  return (
    <section>
      <PageHeader title={text.title} subtitle={text.lead} />
      <section className="card narrow" aria-labelledby={headingId}>
        <h2 id={headingId}>{text.logo}</h2>
        {state.loading && <Loading what={text.loading} />}
        <ErrorNotice error={state.error} />
        {message !== null && <Notice tone="success">{message}</Notice>}
        {state.data !== undefined &&
          (logo !== null && logoUrl !== null ? (
            <figure className="studio-logo">
              <img src={logoUrl} alt={text.logoAlt} data-testid="studio-logo" />
              <figcaption className="hint">
                {text.logoFacts(
                  logo.width,
                  logo.height,
                  format.bytes(logo.sizeBytes),
                  format.dateTime(logo.updatedAt),
                )}
              </figcaption>
            </figure>
          ) : (
            <p className="muted">{text.noLogo}</p>
          ))}
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <div className="file-with-preview">
            <FileField
              key={fieldKey}
              label={logo === null ? text.logoImage : text.newLogoImage}
              name="logo"
              accept={LOGO_TYPES}
              file={file}
              onChange={(chosen) => {
                setFile(chosen);
                setMessage(null);
              }}
              error={errors.logo}
              hint={text.hint}
              required
              disabled={busy}
            />
            <ImagePreview file={file} alt={text.previewAlt} />
          </div>
          <ErrorNotice error={error} />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? text.uploading : logo === null ? text.upload : text.replace}
            </button>
            {logo !== null && (
              <ConfirmButton
                title={text.removeTitle}
                message={text.removeMessage}
                confirmLabel={text.remove}
                danger
                onConfirm={async () => {
                  await api.removeStudioLogo();
                  state.set({ logo: null });
                  setMessage(text.removed);
                }}
              >
                {text.remove}
              </ConfirmButton>
            )}
          </div>
        </form>
      </section>
    </section>
  );
}
