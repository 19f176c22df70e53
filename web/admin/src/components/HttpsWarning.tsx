import type { SystemInfo } from '../api';
import { Icon } from './Icon';

/** Hosts a browser counts as secure over plain http, but only on the machine itself. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(url: string): boolean {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Why QR codes printed now will not work on phones, while PUBLIC_BASE_URL is not https://.
 * The admin app is English-only, but the studio staff may read only Russian: both, side by
 * side. Not dismissable: it goes away when the configuration is fixed. Never printed.
 */
export function HttpsWarning({
  info,
  placement,
}: {
  info: SystemInfo | undefined;
  placement: 'banner' | 'print';
}) {
  if (info === undefined || info.secureContextReady) return null;
  const url = info.publicBaseUrl;
  const loopback = isLoopback(url);
  return (
    <aside
      className={`https-warning https-warning-${placement}`}
      aria-label="HTTPS warning"
      data-testid={`https-warning-${placement}`}
    >
      <Icon name="alert" />
      <div className="https-warning-text">
        <p lang="en">
          <strong>
            PUBLIC_BASE_URL is <span className="code">{url}</span>:
          </strong>{' '}
          phones open the camera only over HTTPS, so QR codes printed now will not work on phones.
          {loopback &&
            ' A localhost address does not help: for a phone, localhost is the phone itself, not this server.'}{' '}
          Set PUBLIC_BASE_URL to an https:// address (see PUBLIC_BASE_URL in the README) and
          restart.
        </p>
        <p lang="ru">
          <strong>
            PUBLIC_BASE_URL = <span className="code">{url}</span>:
          </strong>{' '}
          телефоны открывают камеру только по HTTPS, поэтому QR-коды, напечатанные сейчас, на
          телефонах работать не будут.
          {loopback &&
            ' Адрес localhost не поможет: для телефона localhost — это сам телефон, а не этот сервер.'}{' '}
          Укажите в PUBLIC_BASE_URL адрес https:// (см. PUBLIC_BASE_URL в README) и перезапустите
          сервер.
        </p>
      </div>
    </aside>
  );
}
