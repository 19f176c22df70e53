import { versionInfo } from '../../version.js';
import type { SystemInfo } from './system.schemas.js';

/**
 * Whether phones can use the links and QR codes made from PUBLIC_BASE_URL: browsers open the
 * camera only in a secure context. Only https:// counts. A browser also treats `localhost`
 * (and 127.0.0.1, [::1]) as secure, but that is the phone's own localhost, never this server,
 * so such a base URL is no more usable from a phone than any other http:// one.
 */
export function isSecureContextReady(publicBaseUrl: string): boolean {
  try {
    return new URL(publicBaseUrl).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What the admin app needs to know about this installation. */
export function systemInfo(publicBaseUrl: string, mailConfigured = false): SystemInfo {
  return {
    publicBaseUrl,
    secureContextReady: isSecureContextReady(publicBaseUrl),
    version: versionInfo.version,
    mailConfigured,
  };
}
