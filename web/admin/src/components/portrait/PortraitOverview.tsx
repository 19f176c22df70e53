import { useId, useState } from 'react';
import { api, type PortraitDetail } from '../../api';
import { errorText, type ErrorText } from '../../errorMessages';
import { useFormat } from '../../format';
import { Link } from '../../router';
import { Icon } from '../Icon';
import { StatusBadge } from '../StatusBadge';
import { usePortraitText, type PortraitText } from './portraitText';
import { PublicLink } from './PublicLink';

/** What failed, in plain words: the marker's reason from the catalogue, else video or photo. */
function failureWords(
  portrait: PortraitDetail,
  text: PortraitText,
  locale: 'ru' | 'en',
): ErrorText {
  if (portrait.marker?.status === 'failed') {
    return errorText(portrait.marker.errorCode ?? 'generation_failed', locale);
  }
  if (portrait.activeVideo?.status === 'failed') return text.videoFailed;
  return text.imagesFailed;
}

/** The picture, the processing status (announced as it changes) and the public link. */
export function PortraitOverview({
  portrait,
  clientName,
}: {
  portrait: PortraitDetail;
  clientName?: string | undefined;
}) {
  const text = usePortraitText();
  const format = useFormat();
  const headingId = useId();
  const [imageFailed, setImageFailed] = useState<string | null>(null);
  const showImage = imageFailed !== portrait.status;
  const failure =
    portrait.error !== undefined ? failureWords(portrait, text, format.locale) : undefined;
  return (
    <section className="card overview" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        {text.overviewHeading}
      </h2>
      <div className="overview-image">
        {showImage ? (
          <img
            // A new attempt when the status changes (the display copy appears during processing).
            key={`${portrait.status}-${portrait.imageVersion}`}
            src={api.displayImageUrl(portrait.id, portrait.imageVersion)}
            alt={text.imageAlt(clientName)}
            onError={() => {
              setImageFailed(portrait.status);
            }}
          />
        ) : (
          <div className="image-placeholder">{text.imagePending}</div>
        )}
      </div>
      <div className="overview-facts">
        <p
          className="status-line"
          aria-live="polite"
          data-testid="portrait-status"
          data-status={portrait.status}
        >
          <StatusBadge status={portrait.status} />
          {portrait.status === 'processing' && (
            <span className="muted"> {text.processingNote}</span>
          )}
          {portrait.status === 'ready' && <span className="muted"> {text.readyNote}</span>}
        </p>
        {failure !== undefined && (
          <div className="field-error" data-testid="portrait-failure">
            <p>
              <Icon name="alert" size={14} /> {failure.message} {failure.next}
            </p>
            <details className="failure-details">
              <summary>{text.details}</summary>
              <p className="muted">
                {text.technicalReason} <code>{portrait.error}</code>
              </p>
            </details>
          </div>
        )}
        <dl className="facts">
          <div>
            <dt>{text.client}</dt>
            <dd>
              <Link to={`/clients/${portrait.clientId}`}>{clientName ?? text.openClient}</Link>
            </dd>
          </div>
          <div>
            <dt>{text.created}</dt>
            <dd>{format.dateTime(portrait.createdAt)}</dd>
          </div>
          <div>
            <dt>{text.image}</dt>
            <dd>{text.pixels(format.number(portrait.width), format.number(portrait.height))}</dd>
          </div>
          <div>
            <dt>{text.views}</dt>
            <dd>{format.number(portrait.viewCount)}</dd>
          </div>
        </dl>
        <PublicLink url={portrait.publicUrl} portrait={portrait} />
      </div>
    </section>
  );
}
