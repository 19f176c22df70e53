import { useId, useState } from 'react';
import { api, type PortraitDetail } from '../../api';
import { formatDateTime, formatNumber } from '../../format';
import { Link } from '../../router';
import { Icon } from '../Icon';
import { StatusBadge } from '../StatusBadge';
import { PublicLink } from './PublicLink';

/** The picture, the processing status (announced as it changes) and the public link. */
export function PortraitOverview({
  portrait,
  clientName,
}: {
  portrait: PortraitDetail;
  clientName?: string | undefined;
}) {
  const headingId = useId();
  const [imageFailed, setImageFailed] = useState<string | null>(null);
  const showImage = imageFailed !== portrait.status;
  return (
    <section className="card overview" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        Portrait
      </h2>
      <div className="overview-image">
        {showImage ? (
          <img
            // A new attempt when the status changes (the display copy appears during processing).
            key={`${portrait.status}-${portrait.imageVersion}`}
            src={api.displayImageUrl(portrait.id, portrait.imageVersion)}
            alt={clientName !== undefined ? `Portrait of ${clientName}` : 'The portrait'}
            onError={() => {
              setImageFailed(portrait.status);
            }}
          />
        ) : (
          <div className="image-placeholder">The picture appears once it is processed.</div>
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
            <span className="muted">
              {' '}
              Preparing the marker and the video. This page updates by itself.
            </span>
          )}
          {portrait.status === 'ready' && <span className="muted"> The AR page is live.</span>}
        </p>
        {portrait.error !== undefined && (
          <p className="field-error">
            <Icon name="alert" size={14} /> {portrait.error}
          </p>
        )}
        <dl className="facts">
          <div>
            <dt>Client</dt>
            <dd>
              <Link to={`/clients/${portrait.clientId}`}>{clientName ?? 'Open the client'}</Link>
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatDateTime(portrait.createdAt)}</dd>
          </div>
          <div>
            <dt>Image</dt>
            <dd>
              {portrait.width} × {portrait.height} px
            </dd>
          </div>
          <div>
            <dt>Views</dt>
            <dd>{formatNumber(portrait.viewCount)}</dd>
          </div>
        </dl>
        <PublicLink url={portrait.publicUrl} />
      </div>
    </section>
  );
}
