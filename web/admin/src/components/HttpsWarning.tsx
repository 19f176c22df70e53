import type { SystemInfo } from '../api';
import { Icon } from './Icon';
import { useShellText } from './shell/shellText';

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
 * Why QR codes printed now will not work on phones, while PUBLIC_BASE_URL is not https://, in
 * the chosen language. Not dismissable: it goes away when the configuration is fixed. Never
 * printed.
 */
export function HttpsWarning({
  info,
  placement,
}: {
  info: SystemInfo | undefined;
  placement: 'banner' | 'print';
}) {
  const { text } = useShellText();
  if (info === undefined || info.secureContextReady) return null;
  const url = info.publicBaseUrl;
  return (
    <aside
      className={`https-warning https-warning-${placement}`}
      aria-label={text.httpsLabel}
      data-testid={`https-warning-${placement}`}
    >
      <Icon name="alert" />
      <div className="https-warning-text">
        <p>
          <strong>
            {text.httpsIs} <span className="code">{url}</span>:
          </strong>{' '}
          {text.httpsWhy}
          {isLoopback(url) && ` ${text.httpsLoopback}`} {text.httpsFix}
        </p>
      </div>
    </aside>
  );
}
