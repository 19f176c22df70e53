import { timingSafeEqual, createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { MetricsSettings } from '../../config.js';

export interface ScrapeRequest {
  ip: string;
  authorization: string | undefined;
  /** Whether the request came through a proxy this server does not trust (X-Forwarded-For…). */
  proxiedUntrusted: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may scrape: the bearer token, or an address in the allow-list. A request relayed by a
 * proxy we do not trust is judged by its token only: its socket address is the proxy's
 * (often loopback), which would open the metrics to the whole internet behind nginx.
 */
export function createMetricsAccess(settings: Pick<MetricsSettings, 'token' | 'allow'>) {
  const allowed = new BlockList();
  for (const cidr of settings.allow) {
    const [address = '', bits = ''] = cidr.split('/');
    allowed.addSubnet(address, Number(bits), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  const expected = settings.token === undefined ? undefined : digest(settings.token);

  const addressAllowed = (ip: string) => {
    // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d.
    const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const family = isIP(plain);
    return family !== 0 && allowed.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };

  return (request: ScrapeRequest): boolean => {
    if (expected !== undefined && request.authorization !== undefined) {
      const match = /^Bearer (.+)$/.exec(request.authorization);
      // Hashing first makes the comparison constant-time whatever the lengths.
      return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
    }
    return !request.proxiedUntrusted && addressAllowed(request.ip);
  };
}
