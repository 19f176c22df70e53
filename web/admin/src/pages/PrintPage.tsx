import { api } from '../api';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { HttpsWarning } from '../components/HttpsWarning';
import { Icon } from '../components/Icon';
import { Loading } from '../components/Loading';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { usePortrait } from '../hooks/usePortrait';
import { useResource } from '../hooks/useResource';
import { Link } from '../router';

/**
 * A sheet to print and hand over: the portrait, its QR code and three short steps. The
 * toolbar and the HTTPS warning are screen-only; print CSS lays the sheet out on one A4 page.
 */
export function PrintPage({ portraitId }: { portraitId: string }) {
  useDocumentTitle('Print view');
  const portrait = usePortrait(portraitId);
  const data = portrait.data;
  const system = useResource((signal) => api.systemInfo(signal), []);
  return (
    <main id="main" className="print-page">
      <div className="print-toolbar">
        <Link to={`/portraits/${portraitId}`} className="button">
          ← Back to the portrait
        </Link>
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            window.print();
          }}
        >
          <Icon name="print" />
          Print
        </button>
      </div>
      {portrait.loading && <Loading what="Loading the portrait" />}
      <ErrorNotice error={portrait.error} />
      {data !== undefined && data.status !== 'ready' && (
        <div className="print-toolbar-note">
          <Notice tone="warning">
            The AR page is not ready yet ({data.status}). The QR code never changes, so you can
            print now; it shows the video once processing has finished.
          </Notice>
        </div>
      )}
      {data !== undefined && (
        <article className="print-sheet" aria-label="Printable sheet">
          <img className="print-portrait" src={api.displayImageUrl(data.id)} alt="The portrait" />
          <div className="print-side">
            <img
              className="print-qr"
              src={api.qrUrl(data.id, 'svg')}
              alt={`QR code that opens ${data.publicUrl}`}
              data-testid="print-qr"
            />
            {/* Beside the code it is about; screen only (print CSS hides it). */}
            <HttpsWarning info={system.data} placement="print" />
            <h1>Your living portrait</h1>
            <ol className="print-steps">
              <li>Scan the QR code with your phone’s camera and open the link.</li>
              <li>Tap “Start” and allow the camera.</li>
              <li>Point the phone at the printed photo: it comes alive.</li>
            </ol>
            <p className="print-url">{data.publicUrl}</p>
          </div>
        </article>
      )}
    </main>
  );
}
