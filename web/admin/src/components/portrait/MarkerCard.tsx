import { useId } from 'react';
import { api, type PortraitDetail } from '../../api';
import { errorText } from '../../errorMessages';
import { useLocale } from '../../i18n';
import { ConfirmButton } from '../ConfirmButton';
import { Icon } from '../Icon';
import { StatusBadge } from '../StatusBadge';

function qualityWord(score: number): string {
  if (score >= 70) return 'good';
  if (score >= 40) return 'fair';
  return 'poor';
}

/** Why the marker failed in plain words (the catalogue), the code small for support. */
function MarkerFailure({ code = 'generation_failed' }: { code?: string | undefined }) {
  const locale = useLocale();
  const words = errorText(code, locale);
  return (
    <p className="field-error" data-testid="marker-failure">
      <Icon name="alert" size={14} /> {words.message} {words.next}
      <small className="code">
        {' '}
        ({locale === 'ru' ? 'код' : 'code'}: {code})
      </small>
    </p>
  );
}

/** Marker quality score and advice, the self-test outcome, print size; regenerate. */
export function MarkerCard({
  portrait,
  onChanged,
}: {
  portrait: PortraitDetail;
  onChanged: () => void;
}) {
  const headingId = useId();
  const meterId = useId();
  const marker = portrait.marker;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>AR marker</h2>
      {marker === null ? (
        <p>No marker yet.</p>
      ) : (
        <>
          <p>
            <StatusBadge status={marker.status} />{' '}
            <span className="muted">version {marker.version}</span>
          </p>
          {marker.status === 'processing' && (
            <p className="muted">
              The marker is being generated (usually under a minute). This page updates by itself.
            </p>
          )}
          {marker.status === 'failed' && <MarkerFailure code={marker.errorCode} />}
          {marker.quality.score !== null && (
            <div className="quality">
              <label htmlFor={meterId}>Tracking quality</label>
              <meter
                id={meterId}
                min={0}
                max={100}
                low={40}
                high={70}
                optimum={100}
                value={marker.quality.score}
              >
                {marker.quality.score} / 100
              </meter>
              <p data-testid="quality-score">
                <strong>{marker.quality.score} / 100</strong> ({qualityWord(marker.quality.score)})
              </p>
            </div>
          )}
          {marker.quality.advice.length > 0 && (
            <>
              <h3>Advice</h3>
              <ul className="advice">
                {marker.quality.advice.map((advice) => (
                  <li key={advice}>{advice}</li>
                ))}
              </ul>
            </>
          )}
          <dl className="facts">
            <div>
              <dt>Self-test</dt>
              <dd data-testid="self-test">
                {marker.selfTest.found === null ? (
                  'not run yet'
                ) : marker.selfTest.found ? (
                  <StatusBadge
                    status="ready"
                    label={`Found${
                      marker.selfTest.cornerErrorPx !== null
                        ? `, corner error ${marker.selfTest.cornerErrorPx.toFixed(1)} px`
                        : ''
                    }`}
                  />
                ) : (
                  <StatusBadge status="failed" label="Not found in the test frames" />
                )}
              </dd>
            </div>
            {marker.widthMm !== null && marker.heightMm !== null && (
              <div>
                <dt>Print size</dt>
                <dd>
                  {Math.round(marker.widthMm)} × {Math.round(marker.heightMm)} mm
                  {marker.dpi !== null && ` at ${Math.round(marker.dpi)} dpi`}
                </dd>
              </div>
            )}
            {marker.trackingPoints !== null && (
              <div>
                <dt>Feature points</dt>
                <dd>
                  {marker.trackingPoints} tracking
                  {marker.freakPoints !== null && `, ${marker.freakPoints} FREAK`}
                </dd>
              </div>
            )}
          </dl>
        </>
      )}
      <ConfirmButton
        title="Regenerate the marker?"
        message={
          <p>
            A new marker is made from the portrait. The public link and the QR code stay the same;
            the AR page uses the new marker once it is ready.
          </p>
        }
        confirmLabel="Regenerate"
        icon="refresh"
        disabled={marker?.status === 'processing'}
        onConfirm={async () => {
          await api.regenerateMarker(portrait.id);
          onChanged();
        }}
      >
        Regenerate marker
      </ConfirmButton>
    </section>
  );
}
