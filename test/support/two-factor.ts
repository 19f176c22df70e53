import { Secret, TOTP } from 'otpauth';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, type LoggedIn, type TestApp, type TestClock } from './app.js';

/**
 * An authenticator app for the API tests: the secret from `POST /api/auth/2fa/totp/setup`,
 * codes computed with `otpauth` at the server's (test) clock, `offset` steps away from it.
 */
export function authenticatorOf(secret: string, clock: TestClock) {
  const totp = new TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
  return {
    totp,
    code: (offset = 0): string =>
      totp.generate({ timestamp: clock.now().getTime() + offset * 30_000 }),
    /** Moves the clock to the next time step, then the code of that step (a fresh one). */
    next(): string {
      clock.advance(30_000);
      return totp.generate({ timestamp: clock.now().getTime() });
    },
  };
}

export type TestAuthenticator = ReturnType<typeof authenticatorOf>;

/** Starts and confirms TOTP for the session's user; the app and the 10 backup codes. */
export async function enrolTotp(
  t: TestApp,
  session: LoggedIn,
  remoteAddress = '127.0.0.1',
): Promise<{ app: TestAuthenticator; backupCodes: string[]; confirm: LightMyRequestResponse }> {
  const setup = await t.app.inject({
    method: 'POST',
    url: '/api/auth/2fa/totp/setup',
    headers: bearer(session),
    remoteAddress,
  });
  if (setup.statusCode !== 200) throw new Error(`setup failed: ${setup.body}`);
  const app = authenticatorOf(setup.json<{ secret: string }>().secret, t.clock);
  const confirm = await t.app.inject({
    method: 'POST',
    url: '/api/auth/2fa/totp/confirm',
    headers: bearer(session),
    payload: { code: app.code() },
    remoteAddress,
  });
  if (confirm.statusCode !== 200) throw new Error(`confirm failed: ${confirm.body}`);
  return { app, backupCodes: confirm.json<{ backupCodes: string[] }>().backupCodes, confirm };
}
