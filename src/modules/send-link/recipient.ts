/**
 * How a recipient appears in the audit log: its domain only. The log keeps ids, not personal
 * data (client updates record the names of the fields changed, notes their length), and the
 * full address is on the client's record anyway when it was theirs.
 */
export function recipientDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

/** Compares addresses the way a mail system routes them in practice (case-insensitive). */
export const sameAddress = (a: string, b: string): boolean =>
  a.trim().toLowerCase() === b.trim().toLowerCase();
