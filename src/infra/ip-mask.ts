import { isIPv4, isIPv6 } from 'node:net';

/**
 * `LOG_MASK_IP`: a client address reduced to its network, so logs show where traffic comes
 * from (a provider, an office) without naming one device or household. IPv4 keeps its /24
 * (`203.0.113.57` → `203.0.113.0`), IPv6 its /48 (`2001:db8:abcd:12::1` → `2001:db8:abcd::`),
 * an IPv4-mapped IPv6 address is masked as the IPv4 address it carries. Anything that is not
 * an IP address is returned unchanged.
 */
export function maskIp(address: string): string {
  if (isIPv4(address)) return maskIPv4(address);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return `::ffff:${maskIPv4(mapped)}`;
  // A zone (`fe80::1%eth0`) names an interface of this host: dropped with the host part.
  const withoutZone = address.split('%')[0] ?? address;
  if (!isIPv6(withoutZone)) return address;
  return formatIPv6([...ipv6Groups(withoutZone).slice(0, 3), 0, 0, 0, 0, 0]);
}

function maskIPv4(address: string): string {
  return `${address.split('.').slice(0, 3).join('.')}.0`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted tail as two). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  const front = parse(head);
  if (tail === undefined) return front;
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** RFC 5952 text: lowercase hex, the longest run of two or more zero groups as `::`. */
function formatIPv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < groups.length; start++) {
    let length = 0;
    while (groups[start + length] === 0) length++;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
