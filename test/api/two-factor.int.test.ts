import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/infra/db/schema.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { enrolTotp, type TestAuthenticator } from '../support/two-factor.js';

/**
 * Two-factor sign-in through the HTTP API on the backend under test: TOTP enrolment (codes
 * computed with `otpauth` from the secret the server hands out, at the test's clock), the login
 * challenge and its second step, replay and the ±1 step window, backup codes, e-mailed codes
 * (a real SMTP server in-process), the lockout, `REQUIRE_2FA`, turning it off and the admin reset.
 */

interface Client {
  ip?: string;
  ua?: string;
}

interface Challenge {
  twoFactorRequired: true;
  challenge: string;
  methods: string[];
  expiresAt: string;
}

function sessionOf(response: LightMyRequestResponse): LoggedIn {
  const body = response.json<{ accessToken: string; csrfToken: string; user: { id: string } }>();
  return {
    accessToken: body.accessToken,
    csrfToken: body.csrfToken,
    cookie: `vertex_session=${body.accessToken}`,
    userId: body.user.id,
  };
}

function helpers(t: TestApp) {
  const headers = (client: Client) => ({ 'user-agent': client.ua ?? 'test-browser/1.0' });
  const login = (username: string, password: string, client: Client = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      headers: headers(client),
      remoteAddress: client.ip ?? '127.0.0.1',
    });
  const challengeOf = async (username: string, password: string, client: Client = {}) => {
    const response = await login(username, password, client);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Challenge>();
    expect(body.twoFactorRequired).toBe(true);
    return body;
  };
  const second = (payload: Record<string, string>, client: Client = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login/2fa',
      payload,
      headers: headers(client),
      remoteAddress: client.ip ?? '127.0.0.1',
    });
  const emailCode = (challenge: string, client: Client = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login/2fa/email',
      payload: { challenge },
      headers: headers(client),
      remoteAddress: client.ip ?? '127.0.0.1',
    });
  const as = (
    session: LoggedIn,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url,
      headers: bearer(session),
      ...(payload === undefined ? {} : { payload }),
    });
  /** A new user with TOTP on, logged out: name, password, app and backup codes. */
  async function enrolledUser(role: Role = 'operator', email?: string) {
    const username = `u${Math.random().toString(36).slice(2, 10)}`;
    const password = `pw-${Math.random().toString(36).slice(2)}-Long`;
    await t.ctx.services.usersService.createUser({
      username,
      password,
      role,
      email: email ?? null,
    });
    const first = await login(username, password);
    expect(first.statusCode, first.body).toBe(200);
    const session = sessionOf(first);
    const { app, backupCodes } = await enrolTotp(t, session);
    return { username, password, app, backupCodes, userId: session.userId, session };
  }
  const auditOf = (action: string, userId: string) =>
    t.ctx.database.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId', 'targetId', 'details'])
      .where('action', '=', action)
      .where((eb) => eb.or([eb('actorUserId', '=', userId), eb('targetId', '=', userId)]))
      .orderBy('seq')
      .execute();
  return { login, challengeOf, second, emailCode, as, enrolledUser, auditOf };
}

const errorCode = (response: LightMyRequestResponse) =>
  response.json<{ error: { code: string } }>().error.code;

describe('two-factor sign-in', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Студия <noreply@studio.example>',
      STUDIO_NAME: 'Светлана',
      AUTH_MAX_ATTEMPTS: '4',
    });
    await t.app.ready();
    h = helpers(t);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('enrols TOTP: pending until a first code confirms it, 10 backup codes, secret encrypted', async () => {
    const session = await t.loginAs('operator');
    const before = await h.as(session, 'GET', '/api/auth/2fa');
    expect(before.json()).toEqual({
      totpEnabled: false,
      backupCodesRemaining: 0,
      emailAvailable: false,
      required: false,
      enrolmentRequired: false,
    });
    const setup = await h.as(session, 'POST', '/api/auth/2fa/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrSvg } = setup.json<{
      secret: string;
      otpauthUrl: string;
      qrSvg: string;
    }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
    expect(url.searchParams.get('issuer')).toBe('Светлана');
    expect(qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

    // Pending: a login still needs no second factor.
    expect((await h.as(session, 'GET', '/api/auth/2fa')).json()).toMatchObject({
      totpEnabled: false,
    });
    const row = await t.ctx.database.db
      .selectFrom('userTwoFactor')
      .selectAll()
      .where('userId', '=', session.userId)
      .executeTakeFirstOrThrow();
    expect(row.totpSecret).toBeNull();
    expect(row.totpPendingSecret).not.toContain(secret);
    expect(row.totpPendingSecret).toMatch(/^v1\./);

    const { authenticatorOf } = await import('../support/two-factor.js');
    const app = authenticatorOf(secret, t.clock);
    const wrong = await h.as(session, 'POST', '/api/auth/2fa/totp/confirm', {
      code: app.code() === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(401);
    expect(errorCode(wrong)).toBe('two_factor_code_invalid');
    const confirmed = await h.as(session, 'POST', '/api/auth/2fa/totp/confirm', {
      code: app.code(),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const { backupCodes } = confirmed.json<{ backupCodes: string[] }>();
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    for (const code of backupCodes)
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);

    const stored = await t.ctx.database.db
      .selectFrom('twoFactorBackupCodes')
      .select('codeHash')
      .where('userId', '=', session.userId)
      .execute();
    expect(stored).toHaveLength(10);
    for (const { codeHash } of stored) {
      expect(codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(backupCodes.map((c) => c.replace('-', ''))).not.toContain(codeHash);
    }
    const enabledRow = await t.ctx.database.db
      .selectFrom('userTwoFactor')
      .selectAll()
      .where('userId', '=', session.userId)
      .executeTakeFirstOrThrow();
    expect(enabledRow.totpSecret).not.toContain(secret);
    expect(enabledRow.totpPendingSecret).toBeNull();

    expect((await h.as(session, 'GET', '/api/auth/2fa')).json()).toMatchObject({
      totpEnabled: true,
      backupCodesRemaining: 10,
    });
    const again = await h.as(session, 'POST', '/api/auth/2fa/totp/setup');
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('two_factor_already_enabled');
    expect(await h.auditOf('auth.two_factor_enabled', session.userId)).toHaveLength(1);

    // The admin's list shows it.
    const admin = await t.loginAs('admin');
    const list = (await h.as(admin, 'GET', '/api/users')).json<{
      items: { id: string; twoFactorEnabled: boolean }[];
    }>();
    expect(list.items.find((u) => u.id === session.userId)?.twoFactorEnabled).toBe(true);
    expect(list.items.find((u) => u.id === admin.userId)?.twoFactorEnabled).toBe(false);
  });

  it('asks for a second factor at login and completes it with a TOTP code, once', async () => {
    const user = await h.enrolledUser();
    const login = await h.login(user.username, user.password);
    expect(login.statusCode).toBe(200);
    expect(login.headers['set-cookie']).toBeUndefined();
    const challenge = login.json<Challenge>();
    expect(challenge).toMatchObject({ twoFactorRequired: true, methods: ['totp', 'backup_code'] });
    expect(login.json()).not.toHaveProperty('accessToken');
    expect(Date.parse(challenge.expiresAt) - t.clock.now().getTime()).toBe(5 * 60_000);

    const code = user.app.next();
    const done = await h.second({ challenge: challenge.challenge, code });
    expect(done.statusCode, done.body).toBe(200);
    expect(String(done.headers['set-cookie'])).toMatch(/^vertex_session=/);
    const session = sessionOf(done);
    expect(done.json()).toMatchObject({ enrolmentRequired: false, user: { id: user.userId } });
    const me = await h.as(session, 'GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ enrolmentRequired: false });
    const logins = await h.auditOf('auth.login', user.userId);
    expect(JSON.parse(logins.at(-1)?.details ?? '{}')).toEqual({
      method: 'two_factor',
      factor: 'totp',
      firstFactor: 'password',
    });

    // The same challenge again: used.
    const reusedChallenge = await h.second({
      challenge: challenge.challenge,
      code: user.app.code(),
    });
    expect(reusedChallenge.statusCode).toBe(401);
    expect(errorCode(reusedChallenge)).toBe('two_factor_challenge_invalid');
    // The same code with a new challenge, still within its 30 s: a replay.
    const next = await h.challengeOf(user.username, user.password);
    const replay = await h.second({ challenge: next.challenge, code });
    expect(replay.statusCode).toBe(401);
    expect(errorCode(replay)).toBe('two_factor_code_invalid');
    // A code of the step before the one accepted is refused too, even within the window.
    const earlier = await h.second({ challenge: next.challenge, code: user.app.code(-1) });
    expect(errorCode(earlier)).toBe('two_factor_code_invalid');
    expect((await h.auditOf('auth.two_factor_failed', user.userId)).length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('accepts a code one step either side of now and refuses two steps away', async () => {
    const user = await h.enrolledUser();
    const tryCode = async (app: TestAuthenticator, offset: number) => {
      t.clock.advance(5 * 30_000); // well past the last accepted step
      const { challenge } = await h.challengeOf(user.username, user.password);
      return h.second({ challenge, code: app.code(offset) });
    };
    expect((await tryCode(user.app, -1)).statusCode).toBe(200);
    expect((await tryCode(user.app, 1)).statusCode).toBe(200);
    expect((await tryCode(user.app, 0)).statusCode).toBe(200);
    for (const offset of [-2, 2]) {
      const refused = await tryCode(user.app, offset);
      expect(refused.statusCode).toBe(401);
      expect(errorCode(refused)).toBe('two_factor_code_invalid');
    }
  });

  it('takes each backup code once, and new codes replace the old set', async () => {
    const user = await h.enrolledUser();
    const [first, second, third] = user.backupCodes;
    let { challenge } = await h.challengeOf(user.username, user.password);
    // Typed in capitals and without the dash: the same code.
    const used = await h.second({
      challenge,
      backupCode: (first ?? '').replace('-', '').toUpperCase(),
    });
    expect(used.statusCode, used.body).toBe(200);
    const session = sessionOf(used);
    expect(
      JSON.parse((await h.auditOf('auth.login', user.userId)).at(-1)?.details ?? '{}'),
    ).toMatchObject({
      factor: 'backup_code',
    });
    ({ challenge } = await h.challengeOf(user.username, user.password));
    const again = await h.second({ challenge, backupCode: first ?? '' });
    expect(again.statusCode).toBe(401);
    expect(errorCode(again)).toBe('two_factor_code_invalid');
    expect((await h.as(session, 'GET', '/api/auth/2fa')).json()).toMatchObject({
      backupCodesRemaining: 9,
    });

    // Regenerate (with a TOTP code): the old codes stop working.
    const wrong = await h.as(session, 'POST', '/api/auth/2fa/backup-codes', { code: '12345678' });
    expect(wrong.statusCode).toBe(401);
    const regenerated = await h.as(session, 'POST', '/api/auth/2fa/backup-codes', {
      code: user.app.next(),
    });
    expect(regenerated.statusCode, regenerated.body).toBe(200);
    const fresh = regenerated.json<{ backupCodes: string[] }>().backupCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(second);
    expect((await h.as(session, 'GET', '/api/auth/2fa')).json()).toMatchObject({
      backupCodesRemaining: 10,
    });
    expect(await h.auditOf('auth.backup_codes_regenerated', user.userId)).toHaveLength(1);
    ({ challenge } = await h.challengeOf(user.username, user.password));
    const old = await h.second({ challenge, backupCode: third ?? '' });
    expect(old.statusCode).toBe(401);
    const good = await h.second({ challenge, backupCode: fresh[0] ?? '' });
    expect(good.statusCode).toBe(200);
  });

  it('refuses an expired challenge, one from another client, and unknown ones', async () => {
    const user = await h.enrolledUser();
    const client = { ip: '203.0.113.5', ua: 'phone-browser/2' };
    const { challenge } = await h.challengeOf(user.username, user.password, client);
    const otherUa = await h.second(
      { challenge, code: user.app.next() },
      { ip: client.ip, ua: 'another-browser/9' },
    );
    expect(otherUa.statusCode).toBe(401);
    expect(errorCode(otherUa)).toBe('two_factor_challenge_invalid');
    const otherIp = await h.second(
      { challenge, code: user.app.code() },
      { ...client, ip: '203.0.113.6' },
    );
    expect(errorCode(otherIp)).toBe('two_factor_challenge_invalid');
    const unknown = await h.second({ challenge: 'x'.repeat(43), code: user.app.code() }, client);
    expect(errorCode(unknown)).toBe('two_factor_challenge_invalid');

    t.clock.advance(5 * 60_000 + 1000);
    const expired = await h.second({ challenge, code: user.app.code() }, client);
    expect(expired.statusCode).toBe(401);
    expect(errorCode(expired)).toBe('two_factor_challenge_invalid');

    // The same client, in time: accepted.
    const fresh = await h.challengeOf(user.username, user.password, client);
    expect(
      (await h.second({ challenge: fresh.challenge, code: user.app.code() }, client)).statusCode,
    ).toBe(200);
  });

  it('takes exactly one kind of code', async () => {
    const user = await h.enrolledUser();
    const { challenge } = await h.challengeOf(user.username, user.password);
    const payloads: Record<string, string>[] = [
      { challenge },
      { challenge, code: user.app.code(), backupCode: user.backupCodes[0] ?? '' },
      { challenge, code: user.app.code(), extra: 'x' },
    ];
    for (const payload of payloads) {
      const response = await h.second(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('counts wrong codes towards the lockout, audited auth.two_factor_failed', async () => {
    const user = await h.enrolledUser();
    const client = { ip: '198.51.100.23' };
    const { challenge } = await h.challengeOf(user.username, user.password, client);
    const wrong = user.app.code() === '000000' ? '999999' : '000000';
    for (let i = 0; i < 4; i++) {
      const response = await h.second({ challenge, code: wrong }, client);
      expect(response.statusCode).toBe(401);
    }
    const locked = await h.second({ challenge, code: user.app.next() }, client);
    expect(locked.statusCode).toBe(423);
    expect(errorCode(locked)).toBe('account_locked');
    // The password alone does not get past the lock either, nor clear it.
    expect((await h.login(user.username, user.password, client)).statusCode).toBe(423);
    const failures = await h.auditOf('auth.two_factor_failed', user.userId);
    expect(failures).toHaveLength(4);
    expect(JSON.parse(failures[0]?.details ?? '{}')).toEqual({
      purpose: 'sign_in',
      factor: 'totp',
    });
    expect(await h.auditOf('auth.lockout', user.userId)).toHaveLength(1);
    // Another address is not locked out.
    const elsewhere = await h.challengeOf(user.username, user.password, { ip: '198.51.100.24' });
    expect(
      (
        await h.second(
          { challenge: elsewhere.challenge, code: user.app.code() },
          { ip: '198.51.100.24' },
        )
      ).statusCode,
    ).toBe(200);
  });

  it('counts wrong passwords given to turn it off towards the lockout (no guessing through a session)', async () => {
    const user = await h.enrolledUser();
    for (let i = 0; i < 4; i++) {
      const response = await h.as(user.session, 'POST', '/api/auth/2fa/totp/disable', {
        password: `wrong-${i}`,
        code: user.app.next(),
      });
      expect(response.statusCode).toBe(401);
      expect(errorCode(response)).toBe('invalid_credentials');
    }
    const locked = await h.as(user.session, 'POST', '/api/auth/2fa/totp/disable', {
      password: user.password,
      code: user.app.next(),
    });
    expect(locked.statusCode).toBe(423);
    const failures = await h.auditOf('auth.two_factor_failed', user.userId);
    expect(failures.map((row) => JSON.parse(row.details ?? '{}') as unknown)).toEqual(
      Array.from({ length: 4 }, () => ({ purpose: 'disable', reason: 'password' })),
    );
    expect((await h.as(user.session, 'GET', '/api/auth/2fa')).json()).toMatchObject({
      totpEnabled: true,
    });
  });

  it('a right password does not reset the failures wrong second factors counted', async () => {
    const user = await h.enrolledUser();
    const client = { ip: '198.51.100.40' };
    const wrong = () => (user.app.code() === '000000' ? '999999' : '000000');
    for (let i = 0; i < 4; i++) {
      const { challenge } = await h.challengeOf(user.username, user.password, client);
      expect((await h.second({ challenge, code: wrong() }, client)).statusCode).toBe(401);
    }
    expect((await h.login(user.username, user.password, client)).statusCode).toBe(423);
  });

  it('e-mails a code in the account language, which signs in once; sends are rate-limited', async () => {
    const user = await h.enrolledUser('operator', 'anna@mail.example');
    await t.ctx.database.db
      .updateTable('users')
      .set({ locale: 'en' })
      .where('id', '=', user.userId)
      .execute();
    const challenge = await h.challengeOf(user.username, user.password);
    expect(challenge.methods).toEqual(['totp', 'backup_code', 'email']);
    const before = smtp.messages.length;
    const sent = await h.emailCode(challenge.challenge);
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json()).toEqual({
      sentTo: 'a***@mail.example',
      expiresAt: new Date(t.clock.now().getTime() + 10 * 60_000).toISOString(),
    });
    await smtp.waitFor(before + 1);
    const message = smtp.messages[before];
    expect(message?.to).toEqual(['anna@mail.example']);
    expect(message?.mail.subject).toBe('Your sign-in code: Светлана');
    const text = message?.mail.text ?? '';
    expect(text).toContain('valid for 10 minutes');
    const code = /(\d{6})/.exec(text)?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(message?.mail.html).toContain(code);

    // Within the minute: refused, with when to retry.
    const tooSoon = await h.emailCode(challenge.challenge);
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.json()).toMatchObject({
      error: { code: 'email_code_rate_limited', details: { retryAfterSeconds: 60 } },
    });

    const wrong = await h.second({
      challenge: challenge.challenge,
      emailCode: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(401);
    const done = await h.second({ challenge: challenge.challenge, emailCode: code });
    expect(done.statusCode, done.body).toBe(200);
    expect(
      JSON.parse((await h.auditOf('auth.login', user.userId)).at(-1)?.details ?? '{}'),
    ).toMatchObject({
      factor: 'email',
    });
    // Used once.
    const next = await h.challengeOf(user.username, user.password);
    expect((await h.second({ challenge: next.challenge, emailCode: code })).statusCode).toBe(401);

    // Five an hour per account, whatever the challenge.
    for (let i = 1; i < 5; i++) {
      t.clock.advance(61_000);
      const fresh = await h.challengeOf(user.username, user.password);
      expect((await h.emailCode(fresh.challenge)).statusCode).toBe(202);
    }
    t.clock.advance(61_000);
    const sixth = await h.challengeOf(user.username, user.password);
    const refused = await h.emailCode(sixth.challenge);
    expect(refused.statusCode).toBe(429);
    expect(errorCode(refused)).toBe('email_code_rate_limited');
    await smtp.waitFor(before + 5);
    expect(smtp.messages.length).toBe(before + 5);
  });

  it('writes the e-mail in Russian for a Russian account, and refuses without an address', async () => {
    const user = await h.enrolledUser('operator', 'boris@mail.example');
    await t.ctx.database.db
      .updateTable('users')
      .set({ locale: 'ru' })
      .where('id', '=', user.userId)
      .execute();
    const before = smtp.messages.length;
    const { challenge } = await h.challengeOf(user.username, user.password);
    expect((await h.emailCode(challenge)).statusCode).toBe(202);
    await smtp.waitFor(before + 1);
    const mail = smtp.messages[before]?.mail;
    expect(mail?.subject).toBe('Код для входа: Светлана');
    expect(mail?.text).toContain('Код действует 10 минут');

    const noEmail = await h.enrolledUser('operator');
    const other = await h.challengeOf(noEmail.username, noEmail.password);
    expect(other.methods).not.toContain('email');
    const unavailable = await h.emailCode(other.challenge);
    expect(unavailable.statusCode).toBe(409);
    expect(errorCode(unavailable)).toBe('email_code_unavailable');
  });

  it('answers 502 when the mail server refuses, and that send does not count', async () => {
    const user = await h.enrolledUser('operator', 'refused@mail.example');
    const { challenge } = await h.challengeOf(user.username, user.password);
    smtp.rejectRecipients(true);
    try {
      const refused = await h.emailCode(challenge);
      expect(refused.statusCode).toBe(502);
      expect(errorCode(refused)).toBe('mail_send_failed');
    } finally {
      smtp.rejectRecipients(false);
    }
    expect((await h.emailCode(challenge)).statusCode).toBe(202);
  });

  it('turns off with the password and a code; then the password alone signs in', async () => {
    const user = await h.enrolledUser();
    const { challenge } = await h.challengeOf(user.username, user.password);
    const session = sessionOf(await h.second({ challenge, code: user.app.next() }));
    const badPassword = await h.as(session, 'POST', '/api/auth/2fa/totp/disable', {
      password: 'not-the-password',
      code: user.app.next(),
    });
    expect(badPassword.statusCode).toBe(401);
    expect(errorCode(badPassword)).toBe('invalid_credentials');
    const badCode = await h.as(session, 'POST', '/api/auth/2fa/totp/disable', {
      password: user.password,
      code: '123456',
    });
    expect(badCode.statusCode).toBe(401);
    expect(errorCode(badCode)).toBe('two_factor_code_invalid');
    const off = await h.as(session, 'POST', '/api/auth/2fa/totp/disable', {
      password: user.password,
      code: user.backupCodes[4] ?? '',
    });
    expect(off.statusCode, off.body).toBe(204);
    expect(await h.auditOf('auth.two_factor_disabled', user.userId)).toHaveLength(1);
    expect((await h.as(session, 'GET', '/api/auth/2fa')).json()).toMatchObject({
      totpEnabled: false,
      backupCodesRemaining: 0,
    });
    const plain = await h.login(user.username, user.password);
    expect(plain.json()).toHaveProperty('accessToken');
    const notOn = await h.as(session, 'POST', '/api/auth/2fa/backup-codes', { code: '123456' });
    expect(notOn.statusCode).toBe(409);
    expect(errorCode(notOn)).toBe('two_factor_not_enabled');
  });

  it("lets an admin reset a user's 2FA: audited, that user's sessions revoked", async () => {
    const user = await h.enrolledUser();
    const admin = await t.loginAs('admin');
    const operator = await t.loginAs('operator');
    const forbidden = await h.as(operator, 'DELETE', `/api/users/${user.userId}/2fa`);
    expect(forbidden.statusCode).toBe(403);
    const reset = await h.as(admin, 'DELETE', `/api/users/${user.userId}/2fa`);
    expect(reset.statusCode, reset.body).toBe(204);
    const entries = await h.auditOf('user.two_factor_reset', user.userId);
    expect(entries).toEqual([
      expect.objectContaining({ actorUserId: admin.userId, targetId: user.userId }),
    ]);
    expect((await h.as(user.session, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await h.login(user.username, user.password)).json()).toHaveProperty('accessToken');
    const twice = await h.as(admin, 'DELETE', `/api/users/${user.userId}/2fa`);
    expect(twice.statusCode).toBe(409);
    const nobody = await h.as(
      admin,
      'DELETE',
      '/api/users/0190e1a0-0000-7000-8000-000000000000/2fa',
    );
    expect(nobody.statusCode).toBe(404);
  });
});

describe('REQUIRE_2FA=admins', () => {
  let t: TestApp;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    t = await createTestApp({ REQUIRE_2FA: 'admins' });
    await t.app.ready();
    h = helpers(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives an admin without 2FA a session that can only enrol, full once confirmed', async () => {
    const { username, password } = await t.createUser('admin');
    const login = await h.login(username, password);
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ enrolmentRequired: true });
    const session = sessionOf(login);

    const me = await h.as(session, 'GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ enrolmentRequired: true });
    expect((await h.as(session, 'GET', '/api/auth/2fa')).json()).toMatchObject({
      required: true,
      enrolmentRequired: true,
      totpEnabled: false,
    });
    for (const [method, url] of [
      ['GET', '/api/users'],
      ['GET', '/api/orders'],
      ['GET', '/api/auth/sessions'],
      ['GET', '/api/audit'],
      ['POST', '/api/auth/2fa/backup-codes'],
    ] as const) {
      const refused = await h.as(
        session,
        method,
        url,
        method === 'POST' ? { code: '123456' } : undefined,
      );
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(errorCode(refused)).toBe('two_factor_enrolment_required');
    }
    const locale = await t.app.inject({
      method: 'PUT',
      url: '/api/auth/me/locale',
      headers: bearer(session),
      payload: { locale: 'en' },
    });
    expect(locale.statusCode).toBe(200);

    await enrolTotp(t, session);
    expect((await h.as(session, 'GET', '/api/users')).statusCode).toBe(200);
    expect((await h.as(session, 'GET', '/api/auth/me')).json()).toMatchObject({
      enrolmentRequired: false,
    });
    // The next login asks for the second factor.
    const next = await h.login(username, password);
    expect(next.json()).toMatchObject({ twoFactorRequired: true });

    expect((await h.as(session, 'POST', '/api/auth/logout')).statusCode).toBe(204);
  });

  it('leaves operators alone, and an SSO login whose provider asserted MFA counts as enrolled', async () => {
    const operator = await t.createUser('operator');
    const login = await h.login(operator.username, operator.password);
    expect(login.json()).toMatchObject({ enrolmentRequired: false });
    expect((await h.as(sessionOf(login), 'GET', '/api/orders')).statusCode).toBe(200);

    const admin = await t.createUser('admin');
    const user = await t.ctx.services.usersService.listUsers();
    const row = await t.ctx.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.find((u) => u.username === admin.username)?.id ?? '')
      .executeTakeFirstOrThrow();
    const meta = { ip: '127.0.0.1', userAgent: 'test' };
    const asserted = await t.ctx.services.signIn.afterFirstFactor(row, meta, {
      via: { method: 'sso', provider: 'corp' },
      mfaAsserted: true,
    });
    expect(asserted).toMatchObject({ kind: 'session', enrolmentRequired: false });
    const plain = await t.ctx.services.signIn.afterFirstFactor(row, meta, {
      via: { method: 'sso', provider: 'corp' },
      mfaAsserted: false,
    });
    expect(plain).toMatchObject({ kind: 'session', enrolmentRequired: true });
  });

  it('restricts the sessions again when an admin under the policy turns 2FA off', async () => {
    const { username, password } = await t.createUser('admin');
    const session = sessionOf(await h.login(username, password));
    const { app } = await enrolTotp(t, session);
    const off = await h.as(session, 'POST', '/api/auth/2fa/totp/disable', {
      password,
      code: app.next(),
    });
    expect(off.statusCode, off.body).toBe(204);
    const refused = await h.as(session, 'GET', '/api/users');
    expect(errorCode(refused)).toBe('two_factor_enrolment_required');
  });
});
