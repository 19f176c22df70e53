import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';

interface SystemInfo {
  publicBaseUrl: string;
  secureContextReady: boolean;
  version: string;
  mailConfigured: boolean;
}

describe.each([
  // Only https:// is ready: a phone never reaches the studio server as localhost.
  { base: 'http://localhost:8080', ready: false },
  { base: 'http://studio.lan:8080', ready: false },
  { base: 'https://ar.example.com', ready: true },
])('GET /api/system/info with PUBLIC_BASE_URL=$base', ({ base, ready }) => {
  let t: TestApp;
  let operator: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: base });
    operator = await t.loginAs('operator');
  });
  afterAll(() => t.close());

  it(`answers secureContextReady=${String(ready)} to any logged-in user`, async () => {
    for (const session of [operator, await t.loginAs('admin')]) {
      const response = await t.app.inject({ url: '/api/system/info', headers: bearer(session) });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<SystemInfo>()).toEqual({
        publicBaseUrl: base,
        secureContextReady: ready,
        version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
        // No SMTP_URL in these apps: the admin app offers "copy the message" only.
        mailConfigured: false,
      });
    }
  });

  it('needs a session', async () => {
    const response = await t.app.inject({ url: '/api/system/info' });
    expect(response.statusCode).toBe(401);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('unauthenticated');
  });
});
