import type { Role } from '../../infra/db/schema.js';

/** `REQUIRE_2FA`: who must have a second factor. */
export type TwoFactorPolicy = 'admins' | 'all' | 'none';

export const policyApplies = (policy: TwoFactorPolicy, role: Role): boolean =>
  policy === 'all' || (policy === 'admins' && role === 'admin');
