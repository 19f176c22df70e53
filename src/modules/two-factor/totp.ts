import { HOTP, Secret, TOTP } from 'otpauth';
import { sameSecret } from '../../shared/same-secret.js';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now a code may belong to (clock drift, typing time). */
export const TOTP_WINDOW = 1;
const ALGORITHM = 'SHA1';

/** A new random secret (160 bits, the RFC 4226 recommendation), base32 as apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The `otpauth://totp/…` URL an app reads from the QR code. */
export function otpauthUrl(secretBase32: string, issuer: string, account: string): string {
  return new TOTP({
    issuer,
    label: account,
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  }).toString();
}

/** The time step a moment falls in. */
export const totpStep = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/** The code of one time step (tests and the verifier). */
export const totpCodeAt = (secretBase32: string, step: number): string =>
  HOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    counter: step,
  });

/** A typed code with spaces or dashes taken out (`123 456`), or null when it cannot be one. */
export function normaliseTotpCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code) ? code : null;
}

/**
 * The time step `code` belongs to, within ±`TOTP_WINDOW` steps of `at` and after `lastStep`
 * (the last step accepted for this secret: a code is good once), or null. The caller stores the
 * step it gets back, atomically, so that two requests with the same code cannot both pass.
 */
export function matchTotp(
  secretBase32: string,
  typed: string,
  at: Date,
  lastStep: number | null,
): number | null {
  const code = normaliseTotpCode(typed);
  if (code === null) return null;
  const now = totpStep(at);
  let matched: number | null = null;
  // Every candidate is computed and compared, so timing does not tell which step matched.
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step += 1) {
    if (sameSecret(totpCodeAt(secretBase32, step), code) && matched === null) matched = step;
  }
  if (matched === null) return null;
  return lastStep !== null && matched <= lastStep ? null : matched;
}
