import { useId } from 'react';
import { api, type PortraitDetail } from '../../api';
import { errorText } from '../../errorMessages';
import { useFormat } from '../../format';
import { ConfirmButton } from '../ConfirmButton';
import { Icon } from '../Icon';
import { StatusBadge } from '../StatusBadge';
import { assessMarkerLevel } from './markerQuality';
import { usePortraitText } from './portraitText';

type Marker = NonNullable<PortraitDetail['marker']>;

/** Why the marker failed in plain words (the catalogue), the code small for support. */
function MarkerFailure({ code = 'generation_failed' }: { code?: string | undefined }) {
  const { locale } = useFormat();
  const text = usePortraitText();
  const words = errorText(code, locale);
  return (
    <p className="field-error" data-testid="marker-failure">
      <Icon name="alert" size={14} /> {words.message} {words.next}
      <small className="code">
        {' '}
        ({text.failureCode}: {code})
      </small>
    </p>
  );
}

/** The level in words, what would help, and the numbers behind a "Details" toggle. */
function MarkerQuality({ marker }: { marker: Marker }) {
  const text = usePortraitText();
  const format = useFormat();
  const labelId = useId();
  const verdict =
    marker.status === 'ready'
      ? assessMarkerLevel({
          score: marker.quality.score,
          trackingPoints: marker.trackingPoints,
          freakPoints: marker.freakPoints,
          selfTestFound: marker.selfTest.found,
          cornerErrorPx: marker.selfTest.cornerErrorPx,
          widthMm: marker.widthMm,
          heightMm: marker.heightMm,
        })
      : null;
  const oneDecimal = (value: number) =>
    new Intl.NumberFormat(format.locale === 'ru' ? 'ru-RU' : 'en-GB', {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }).format(value);
  const { selfTest } = marker;
  return (
    <>
      {verdict !== null && (
        <div className="quality" role="group" aria-labelledby={labelId}>
          <p id={labelId} className="quality-label">
            {text.qualityLabel}
          </p>
          <p
            className={`quality-level quality-${verdict.level}`}
            data-testid="quality-level"
            data-level={verdict.level}
          >
            <Icon name={verdict.level === 'poor' ? 'alert' : 'check'} size={16} />{' '}
            <strong>{text.level[verdict.level]}</strong>
          </p>
          <p className="muted">{text.levelSummary[verdict.level]}</p>
          {verdict.advice.length > 0 && (
            <>
              <h3>{text.adviceHeading}</h3>
              <ul className="advice" data-testid="quality-advice">
                {verdict.advice.map((advice) => (
                  <li key={advice}>{text.advice[advice]}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <details className="quality-details" data-testid="quality-details">
        <summary>{text.qualityDetails}</summary>
        <dl className="facts">
          {marker.quality.score !== null && (
            <div>
              <dt>{text.score}</dt>
              <dd data-testid="quality-score">
                {text.scoreOf(format.number(marker.quality.score))}
              </dd>
            </div>
          )}
          <div>
            <dt>{text.selfTest}</dt>
            <dd data-testid="self-test">
              {selfTest.found === null ? (
                text.selfTestNotRun
              ) : selfTest.found ? (
                <StatusBadge
                  status="ready"
                  label={text.found(
                    selfTest.cornerErrorPx !== null ? oneDecimal(selfTest.cornerErrorPx) : null,
                  )}
                />
              ) : (
                <StatusBadge status="failed" label={text.notFound} />
              )}
            </dd>
          </div>
          {marker.widthMm !== null && marker.heightMm !== null && (
            <div>
              <dt>{text.printSize}</dt>
              <dd data-testid="marker-size">
                {text.size(
                  format.number(Math.round(marker.widthMm)),
                  format.number(Math.round(marker.heightMm)),
                  marker.dpi !== null ? format.number(Math.round(marker.dpi)) : null,
                )}
              </dd>
            </div>
          )}
          {marker.trackingPoints !== null && (
            <div>
              <dt>{text.featurePoints}</dt>
              <dd data-testid="feature-points">
                {text.features(
                  format.number(marker.trackingPoints),
                  marker.freakPoints !== null ? format.number(marker.freakPoints) : null,
                )}
              </dd>
            </div>
          )}
        </dl>
      </details>
    </>
  );
}

/** Marker quality as a level with advice, the numbers behind "Details"; regenerate. */
export function MarkerCard({
  portrait,
  onChanged,
}: {
  portrait: PortraitDetail;
  onChanged: () => void;
}) {
  const text = usePortraitText();
  const headingId = useId();
  const marker = portrait.marker;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.markerHeading}</h2>
      {marker === null ? (
        <p>{text.noMarker}</p>
      ) : (
        <>
          <p>
            <StatusBadge status={marker.status} />{' '}
            <span className="muted">{text.version(marker.version)}</span>
          </p>
          {marker.status === 'processing' && <p className="muted">{text.markerProcessing}</p>}
          {marker.status === 'failed' && <MarkerFailure code={marker.errorCode} />}
          <MarkerQuality marker={marker} />
        </>
      )}
      <ConfirmButton
        title={text.regenerateTitle}
        message={<p>{text.regenerateMessage}</p>}
        confirmLabel={text.regenerateConfirm}
        icon="refresh"
        disabled={marker?.status === 'processing'}
        onConfirm={async () => {
          await api.regenerateMarker(portrait.id);
          onChanged();
        }}
      >
        {text.regenerate}
      </ConfirmButton>
    </section>
  );
}
