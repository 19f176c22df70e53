import { useId } from 'react';
import { api, type PortraitDetail } from '../../api';
import { Link } from '../../router';
import { Icon } from '../Icon';

/** The QR code of the public link, its downloads and the print view. */
export function QrCard({ portrait }: { portrait: PortraitDetail }) {
  const headingId = useId();
  return (
    <section className="card qr-card" aria-labelledby={headingId}>
      <h2 id={headingId}>QR code</h2>
      <img
        className="qr"
        src={api.qrUrl(portrait.id, 'svg')}
        alt={`QR code that opens ${portrait.publicUrl}`}
        width={180}
        height={180}
      />
      <div className="actions">
        <Link to={`/portraits/${portrait.id}/print`} className="button button-primary">
          <Icon name="print" />
          Print view
        </Link>
        {(['png', 'svg'] as const).map((format) => (
          <a
            key={format}
            className="button"
            href={api.qrUrl(portrait.id, format)}
            download={`vertex-ar-${portrait.slug}.${format}`}
          >
            <Icon name="download" />
            <span className="visually-hidden">Download the QR code as </span>
            {format.toUpperCase()}
          </a>
        ))}
      </div>
    </section>
  );
}
