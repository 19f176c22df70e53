import { useId } from 'react';
import { api, type PortraitDetail } from '../../api';
import { Link } from '../../router';
import { Icon } from '../Icon';
import { usePortraitText } from './portraitText';

/** The QR code of the public link, its downloads and the print view. */
export function QrCard({ portrait }: { portrait: PortraitDetail }) {
  const text = usePortraitText();
  const headingId = useId();
  return (
    <section className="card qr-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.qrHeading}</h2>
      <img
        className="qr"
        src={api.qrUrl(portrait.id, 'svg')}
        alt={text.qrAlt(portrait.publicUrl)}
        width={180}
        height={180}
      />
      <div className="actions">
        <Link to={`/portraits/${portrait.id}/print`} className="button button-primary">
          <Icon name="print" />
          {text.printView}
        </Link>
        {(['png', 'svg'] as const).map((format) => (
          <a
            key={format}
            className="button"
            href={api.qrUrl(portrait.id, format)}
            download={`vertex-ar-${portrait.slug}.${format}`}
          >
            <Icon name="download" />
            <span className="visually-hidden">{text.downloadAs}</span>
            {format.toUpperCase()}
          </a>
        ))}
      </div>
    </section>
  );
}
