import { useId, useState } from 'react';
import { api, type PortraitDetail } from '../api';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { SelectField } from '../components/Field';
import { HttpsWarning } from '../components/HttpsWarning';
import { Icon } from '../components/Icon';
import { Loading } from '../components/Loading';
import {
  CUSTOM_SIZE_MM,
  fittedSizeMm,
  PRINT_FORMATS,
  validCustomSide,
  type PrintFormat,
} from '../components/print/printFormats';
import { usePrintText, type PrintText } from '../components/print/printText';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { usePortrait } from '../hooks/usePortrait';
import { useResource } from '../hooks/useResource';
import type { Locale } from '../i18n';
import { Link } from '../router';

/**
 * A sheet to print and hand over (the portrait, its QR code and three short steps), and the
 * print-ready PDF in a chosen size. The toolbar and the HTTPS warning are screen-only; print
 * CSS lays the sheet out on one A4 page. The PDF needs the AR marker: until it is ready the
 * download is disabled with the reason, and the photo shows a placeholder until it exists.
 */
export function PrintPage({ portraitId }: { portraitId: string }) {
  const { text } = usePrintText();
  useDocumentTitle(text.documentTitle);
  const portrait = usePortrait(portraitId);
  const data = portrait.data;
  const system = useResource((signal) => api.systemInfo(signal), []);
  return (
    <main id="main" className="print-page">
      <div className="print-toolbar">
        <Link to={`/portraits/${portraitId}`} className="button">
          {text.back}
        </Link>
        <button
          type="button"
          className="button"
          onClick={() => {
            window.print();
          }}
        >
          <Icon name="print" />
          {text.print}
        </button>
      </div>
      {portrait.loading && <Loading what={text.loading} />}
      <ErrorNotice error={portrait.error} />
      {data !== undefined && <PdfOptions portrait={data} text={text} />}
      {data !== undefined && (
        <Sheet key={data.status} portrait={data} text={text} system={system.data} />
      )}
    </main>
  );
}

function PdfOptions({ portrait, text }: { portrait: PortraitDetail; text: PrintText }) {
  const { mm, locale } = usePrintText();
  const [format, setFormat] = useState<PrintFormat>('10x15');
  const [widthMm, setWidthMm] = useState('100');
  const [heightMm, setHeightMm] = useState('150');
  const [lang, setLang] = useState<Locale>('ru');
  const reasonId = useId();
  const markerStatus = portrait.marker?.status ?? 'processing';
  const reason =
    markerStatus === 'ready'
      ? null
      : markerStatus === 'failed'
        ? text.failedReason
        : text.notReadyReason;
  const custom = format === 'custom';
  const w = Number(widthMm.replace(',', '.'));
  const h = Number(heightMm.replace(',', '.'));
  const customOk = validCustomSide(w) && validCustomSide(h);
  const box: readonly [number, number] | null = custom
    ? customOk
      ? [w, h]
      : null
    : (PRINT_FORMATS.find((f) => f.value === format)?.box ?? null);
  const size = box === null ? null : fittedSizeMm(box, portrait);
  const href =
    reason === null && box !== null
      ? api.printPdfUrl(portrait.id, {
          format,
          lang,
          ...(custom ? { widthMm: w, heightMm: h } : {}),
        })
      : null;
  const formatOptions = [
    ...PRINT_FORMATS.map((f) => ({ value: f.value, label: f.label })),
    { value: 'custom' as const, label: text.custom },
  ];
  return (
    <section className="print-options" aria-label={text.options}>
      <h2>{text.options}</h2>
      <div className="print-options-fields">
        <SelectField<PrintFormat>
          label={text.format}
          value={format}
          options={formatOptions}
          onChange={setFormat}
          name="format"
        />
        {custom && (
          <>
            <MmField label={text.widthMm} value={widthMm} onChange={setWidthMm} name="widthMm" />
            <MmField
              label={text.heightMm}
              value={heightMm}
              onChange={setHeightMm}
              name="heightMm"
            />
          </>
        )}
        <SelectField<Locale>
          label={text.cardLanguage}
          value={lang}
          options={(['ru', 'en'] as const).map((value) => ({
            value,
            label: text.languages[value],
          }))}
          onChange={setLang}
          name="lang"
        />
      </div>
      {custom && (
        <p className={customOk ? 'hint' : 'field-error'} role={customOk ? undefined : 'alert'}>
          {customOk
            ? text.customHint(CUSTOM_SIZE_MM.min, CUSTOM_SIZE_MM.max)
            : text.customInvalid(CUSTOM_SIZE_MM.min, CUSTOM_SIZE_MM.max)}
        </p>
      )}
      {size !== null && (
        <p className="print-size" data-testid="print-size" lang={locale}>
          {text.printSize(mm(size.widthMm), mm(size.heightMm))}
        </p>
      )}
      {href !== null ? (
        <a className="button button-primary" href={href} download data-testid="print-pdf">
          <Icon name="print" />
          {text.download}
        </a>
      ) : (
        <button
          type="button"
          className="button button-primary"
          disabled
          aria-describedby={reason === null ? undefined : reasonId}
          data-testid="print-pdf"
        >
          <Icon name="print" />
          {text.download}
        </button>
      )}
      {reason !== null && (
        <div id={reasonId} className="print-toolbar-note">
          <Notice tone="warning">{reason}</Notice>
        </div>
      )}
      <p className="hint">{text.pdfHint}</p>
    </section>
  );
}

function MmField({
  label,
  value,
  onChange,
  name,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  name: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="number"
        inputMode="decimal"
        min={CUSTOM_SIZE_MM.min}
        max={CUSTOM_SIZE_MM.max}
        step="any"
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </div>
  );
}

function Sheet({
  portrait,
  text,
  system,
}: {
  portrait: PortraitDetail;
  text: PrintText;
  system: Parameters<typeof HttpsWarning>[0]['info'];
}) {
  // The display copy is made in the background: until it exists, a placeholder, not a broken image.
  const [imageFailed, setImageFailed] = useState(false);
  return (
    <article className="print-sheet" aria-label={text.sheet}>
      {imageFailed ? (
        <div
          className="print-portrait print-portrait-pending"
          role="img"
          aria-label={text.imagePending}
        >
          {text.imagePending}
        </div>
      ) : (
        <img
          className="print-portrait"
          src={api.displayImageUrl(portrait.id, portrait.imageVersion)}
          alt={text.portraitAlt}
          onError={() => {
            setImageFailed(true);
          }}
        />
      )}
      <div className="print-side">
        <img
          className="print-qr"
          src={api.qrUrl(portrait.id, 'svg')}
          alt={text.qrAlt(portrait.publicUrl)}
          data-testid="print-qr"
        />
        {/* Beside the code it is about; screen only (print CSS hides it). */}
        <HttpsWarning info={system} placement="print" />
        <h1>{text.heading}</h1>
        <ol className="print-steps">
          {text.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <p className="print-url">{portrait.publicUrl}</p>
      </div>
    </article>
  );
}
