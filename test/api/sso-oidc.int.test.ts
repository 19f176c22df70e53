import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { enrolTotp } from '../support/two-factor.js';
import {
  browse,
  startOidcProvider,
  type TestIdentity,
  type TestOidcProvider,
} from '../support/oidc-provider.js';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) run in the test, on
 * both backends: the authorisation code flow with PKCE, state and nonce, end to end.
 */
const APP = 'http://vertex.test';
const CALLBACK = `${APP}/api/auth/sso/idp/callback`;
const IP = '192.0.2.41';

interface Outcome {
  location: string;
  session: string | undefined;
}

/** Start → the provider (as `identity`) → the callback, as one browser; `tamper` edits the request. */
async function ssoSignIn(
  t: TestApp,
  idp: TestOidcProvider,
  identity: TestIdentity,
  options: { tamper?: (url: URL) => void; dropCookie?: boolean; link?: LoggedIn } = {},
): Promise<Outcome> {
  let authUrl: URL;
  let flowCookie: string | undefined;
  if (options.link === undefined) {
    const start = await t.app.inject({ url: '/api/auth/sso/idp/start', remoteAddress: IP });
    expect(start.statusCode, start.body).toBe(302);
    const cookie = start.cookies.find((c) => c.name === 'vertex_sso');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/sso/' });
    flowCookie = cookie?.value;
    authUrl = new URL(start.headers.location ?? '');
  } else {
    const link = await t.app.inject({
      method: 'POST',
      url: '/api/account/sso/idp/link',
      headers: bearer(options.link),
      remoteAddress: IP,
    });
    expect(link.statusCode, link.body).toBe(200);
    flowCookie = link.cookies.find((c) => c.name === 'vertex_sso')?.value;
    authUrl = new URL(link.json<{ url: string }>().url);
  }
  expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authUrl.searchParams.get('state')).toBeTruthy();
  expect(authUrl.searchParams.get('nonce')).toBeTruthy();
  options.tamper?.(authUrl);
  idp.signInAs(identity);
  const back = await browse(authUrl, APP);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  const callback = await t.app.inject({
    url: `${back.pathname}${back.search}`,
    remoteAddress: IP,
    ...(options.dropCookie === true || flowCookie === undefined
      ? {}
      : { cookies: { vertex_sso: flowCookie } }),
  });
  expect(callback.statusCode, callback.body).toBe(302);
  // The flow cookie is used once, whatever happened.
  expect(callback.cookies.find((c) => c.name === 'vertex_sso')?.value ?? '').toBe('');
  return {
    location: callback.headers.location ?? '',
    session: callback.cookies.find((c) => c.name === 'vertex_session')?.value,
  };
}

const userByEmail = (t: TestApp, email: string) =>
  t.ctx.database.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
const linksOf = (t: TestApp, userId: string) =>
  t.ctx.database.db.selectFrom('ssoLinks').selectAll().where('userId', '=', userId).execute();
const lastAudit = async (t: TestApp, action: string) =>
  t.ctx.database.db
    .selectFrom('auditLog')
    .select(['action', 'actorUserId', 'actorIp', 'details'])
    .where('action', '=', action)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();

describe('single sign-on with OpenID Connect (auto-create on, role claim)', () => {
  let idp: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    idp = await startOidcProvider([CALLBACK]);
    t = await createTestApp({
      PUBLIC_BASE_URL: APP,
      OIDC_PROVIDERS: JSON.stringify([
        {
          name: 'idp',
          label: 'Studio IdP',
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
        },
      ]),
      OIDC_AUTO_CREATE: 'true',
      OIDC_ROLE_CLAIM: 'roles',
    });
    // Another admin: a demotion by the claim is then not the last admin's.
    await t.createUser('admin', 'first-admin');
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  it('lists the provider for the login page', async () => {
    const response = await t.app.inject({ url: '/api/auth/sso/providers' });
    expect(response.json()).toEqual({
      providers: [{ id: 'idp', label: 'Studio IdP', kind: 'oidc' }],
    });
  });

  it('creates an account on a first sign-in, with the role from the claim, then re-applies it', async () => {
    const identity = {
      sub: 'subject-new-1',
      email: 'New.Person@Mail.Example',
      email_verified: true,
      roles: ['admin'],
    };
    const first = await ssoSignIn(t, idp, identity);
    expect(first.location).toBe('/admin/');
    expect(first.session).toBeTruthy();
    const user = await userByEmail(t, 'new.person@mail.example');
    expect(user).toMatchObject({ username: 'new.person', role: 'admin', passwordLoginDisabled: 1 });
    const me = await t.app.inject({
      url: '/api/auth/me',
      cookies: { vertex_session: first.session ?? '' },
    });
    expect(me.json()).toMatchObject({ user: { username: 'new.person', role: 'admin' } });
    expect(await lastAudit(t, 'user.create')).toMatchObject({ actorUserId: user?.id, actorIp: IP });
    expect(JSON.parse((await lastAudit(t, 'user.create'))?.details ?? '{}')).toMatchObject({
      via: 'sso',
      provider: 'idp',
    });
    expect(JSON.parse((await lastAudit(t, 'auth.login'))?.details ?? '{}')).toEqual({
      method: 'sso',
      provider: 'idp',
    });

    // The provider no longer says admin: the next sign-in makes the account an operator.
    const second = await ssoSignIn(t, idp, { ...identity, roles: ['staff'] });
    expect(second.location).toBe('/admin/');
    expect((await userByEmail(t, 'new.person@mail.example'))?.role).toBe('operator');
    const sync = await lastAudit(t, 'user.role.sync');
    expect(JSON.parse(sync?.details ?? '{}')).toEqual({
      from: 'admin',
      to: 'operator',
      applied: true,
    });
    // And back.
    await ssoSignIn(t, idp, identity);
    expect((await userByEmail(t, 'new.person@mail.example'))?.role).toBe('admin');
  });

  it('never demotes the last active admin through the claim (refused and audited)', async () => {
    // The only other admins are disabled: the SSO admin is the last active one.
    const admins = await t.ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('email', 'is', null)
      .execute();
    const now = new Date().toISOString();
    for (const { id } of admins) {
      await t.ctx.database.db
        .updateTable('users')
        .set({ disabledAt: now })
        .where('id', '=', id)
        .execute();
    }
    try {
      const outcome = await ssoSignIn(t, idp, {
        sub: 'subject-new-1',
        email: 'new.person@mail.example',
        email_verified: true,
        roles: [],
      });
      expect(outcome.location).toBe('/admin/');
      expect((await userByEmail(t, 'new.person@mail.example'))?.role).toBe('admin');
      expect(JSON.parse((await lastAudit(t, 'user.role.sync'))?.details ?? '{}')).toMatchObject({
        applied: false,
        reason: 'last_admin',
      });
    } finally {
      for (const { id } of admins) {
        await t.ctx.database.db
          .updateTable('users')
          .set({ disabledAt: null })
          .where('id', '=', id)
          .execute();
      }
    }
  });

  it('links a first sign-in to an existing account by a verified e-mail only', async () => {
    await t.ctx.services.usersService.createUser({
      username: 'maria',
      password: 'long-enough-passphrase-41',
      role: 'operator',
      email: 'maria@mail.example',
    });
    const maria = await userByEmail(t, 'maria@mail.example');

    // Unverified: never links (and, with auto-create on, creates nothing either).
    const unverified = await ssoSignIn(t, idp, {
      sub: 'subject-maria-unverified',
      email: 'maria@mail.example',
      email_verified: false,
    });
    expect(unverified).toEqual({
      location: '/admin/login?ssoError=sso_email_unverified',
      session: undefined,
    });
    expect(await linksOf(t, maria?.id ?? '')).toEqual([]);
    const refused = await lastAudit(t, 'auth.sso_refused');
    expect(refused).toMatchObject({ actorIp: IP });
    expect(refused?.details ?? '').not.toContain('maria@');

    const verified = await ssoSignIn(t, idp, {
      sub: 'subject-maria',
      email: 'maria@mail.example',
      email_verified: true,
    });
    expect(verified.location).toBe('/admin/');
    expect(await linksOf(t, maria?.id ?? '')).toMatchObject([
      { provider: 'idp', subject: 'subject-maria', email: 'maria@mail.example' },
    ]);
    const me = await t.app.inject({
      url: '/api/auth/me',
      cookies: { vertex_session: verified.session ?? '' },
    });
    expect(me.json()).toMatchObject({ user: { username: 'maria' } });

    // Another identity of the same provider with the same e-mail: the account is taken.
    const other = await ssoSignIn(t, idp, {
      sub: 'subject-maria-second',
      email: 'maria@mail.example',
      email_verified: true,
    });
    expect(other.location).toBe('/admin/login?ssoError=sso_link_conflict');
    expect(await linksOf(t, maria?.id ?? '')).toHaveLength(1);

    // Disabled: refused, even with the link.
    await t.ctx.database.db
      .updateTable('users')
      .set({ disabledAt: new Date().toISOString() })
      .where('id', '=', maria?.id ?? '')
      .execute();
    const disabled = await ssoSignIn(t, idp, {
      sub: 'subject-maria',
      email: 'maria@mail.example',
      email_verified: true,
    });
    expect(disabled.location).toBe('/admin/login?ssoError=sso_account_disabled');
  });

  it('refuses a tampered state, a missing cookie and a tampered nonce', async () => {
    const identity = { sub: 'subject-tamper', email: 'tamper@mail.example', email_verified: true };
    const state = await ssoSignIn(t, idp, identity, {
      tamper: (url) => {
        url.searchParams.set('state', 'forged-state');
      },
    });
    expect(state).toEqual({
      location: '/admin/login?ssoError=sso_state_invalid',
      session: undefined,
    });

    const noCookie = await ssoSignIn(t, idp, identity, { dropCookie: true });
    expect(noCookie.location).toBe('/admin/login?ssoError=sso_state_invalid');

    // The provider issues an ID token for another nonce than this browser's request carried.
    const nonce = await ssoSignIn(t, idp, identity, {
      tamper: (url) => {
        url.searchParams.set('nonce', 'forged-nonce');
      },
    });
    expect(nonce).toEqual({
      location: '/admin/login?ssoError=sso_state_invalid',
      session: undefined,
    });
    expect(JSON.parse((await lastAudit(t, 'auth.sso_refused'))?.details ?? '{}')).toMatchObject({
      provider: 'idp',
      code: 'sso_state_invalid',
      reason: 'nonce',
    });
    expect(await userByEmail(t, 'tamper@mail.example')).toBeUndefined();
  });

  it('asks for the second factor after the provider, unless the provider asserts MFA (amr)', async () => {
    const { username, password } = await t.createUser('operator', 'two-step');
    const session = await t.login(username, password);
    const { app } = await enrolTotp(t, session, IP);
    expect((await ssoSignIn(t, idp, { sub: 'subject-two-step' }, { link: session })).location).toBe(
      '/admin/account?linked=idp',
    );

    const plain = await ssoSignIn(t, idp, { sub: 'subject-two-step', amr: ['pwd'] });
    expect(plain.session).toBeUndefined();
    const next = new URL(plain.location, APP);
    expect(next.pathname).toBe('/admin/login');
    expect(next.searchParams.get('methods')?.split(',')).toContain('totp');
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login/2fa',
      payload: { challenge: next.searchParams.get('challenge'), code: app.next() },
      remoteAddress: IP,
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ user: { username: 'two-step' } });

    // The provider vouches for a second factor: no second step here.
    const mfa = await ssoSignIn(t, idp, { sub: 'subject-two-step', amr: ['pwd', 'otp'] });
    expect(mfa.location).toBe('/admin/');
    expect(mfa.session).toBeTruthy();
  });

  it('turns 2FA off with the code alone on an SSO-only account; others still need the password', async () => {
    const { username, password } = await t.createUser('operator', 'sso-only');
    const session = await t.login(username, password);
    const call = (method: 'POST' | 'PUT', url: string, payload: object) =>
      t.app.inject({ method, url, headers: bearer(session), remoteAddress: IP, payload });
    const { app } = await enrolTotp(t, session, IP);

    // Password login still on: the password is asked for (400), then checked (401).
    const missing = await call('POST', '/api/auth/2fa/totp/disable', { code: app.next() });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { code: 'two_factor_password_required' } });
    const wrong = await call('POST', '/api/auth/2fa/totp/disable', {
      password: 'not-the-password',
      code: app.next(),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'invalid_credentials' } });

    expect((await ssoSignIn(t, idp, { sub: 'subject-sso-only' }, { link: session })).location).toBe(
      '/admin/account?linked=idp',
    );
    expect((await call('PUT', '/api/account/password-login', { enabled: false })).statusCode).toBe(
      204,
    );
    // No password to type any more: a wrong code is still refused, a right one is enough.
    const badCode = await call('POST', '/api/auth/2fa/totp/disable', { code: '000000' });
    expect(badCode.statusCode).toBe(401);
    expect(badCode.json()).toMatchObject({ error: { code: 'two_factor_code_invalid' } });
    const off = await call('POST', '/api/auth/2fa/totp/disable', { code: app.next() });
    expect(off.statusCode, off.body).toBe(204);
    expect(await lastAudit(t, 'auth.two_factor_disabled')).toMatchObject({
      actorUserId: session.userId,
      actorIp: IP,
    });
    // The provider's sign-in now needs no second step.
    expect((await ssoSignIn(t, idp, { sub: 'subject-sso-only', amr: ['pwd'] })).location).toBe(
      '/admin/',
    );
  });

  it('links and unlinks from the account, and turns the password login off', async () => {
    const { username, password } = await t.createUser('operator', 'linker');
    const session = await t.login(username, password);
    const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({
        method,
        url,
        headers: bearer(session),
        remoteAddress: IP,
        ...(payload ? { payload } : {}),
      });

    // Password login cannot go off while no provider is linked.
    expect(
      (await call('PUT', '/api/account/password-login', { enabled: false })).json(),
    ).toMatchObject({
      error: { code: 'sso_last_sign_in_method' },
    });

    // An identity that belongs to someone else (maria's) is refused.
    const taken = await ssoSignIn(
      t,
      idp,
      { sub: 'subject-maria', email: 'x@mail.example' },
      { link: session },
    );
    expect(taken.location).toBe('/admin/account?ssoError=sso_link_conflict');

    // No e-mail needed to link: the person is signed in here and at the provider.
    const linked = await ssoSignIn(t, idp, { sub: 'subject-linker' }, { link: session });
    expect(linked).toEqual({ location: '/admin/account?linked=idp', session: undefined });
    const links = await call('GET', '/api/account/sso-links');
    expect(links.json()).toEqual({
      links: [
        {
          provider: 'idp',
          label: 'Studio IdP',
          email: null,
          linkedAt: expect.any(String) as string,
        },
      ],
      passwordLoginEnabled: true,
    });
    // The link signs in.
    expect((await ssoSignIn(t, idp, { sub: 'subject-linker' })).location).toBe('/admin/');

    expect((await call('PUT', '/api/account/password-login', { enabled: false })).statusCode).toBe(
      204,
    );
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    expect((await call('GET', '/api/account/sso-links')).json()).toMatchObject({
      passwordLoginEnabled: false,
    });

    // The last link of an SSO-only account stays.
    const last = await call('DELETE', '/api/account/sso-links/idp');
    expect(last.statusCode).toBe(409);
    expect(last.json()).toMatchObject({ error: { code: 'sso_last_sign_in_method' } });

    expect((await call('PUT', '/api/account/password-login', { enabled: true })).statusCode).toBe(
      204,
    );
    expect((await call('DELETE', '/api/account/sso-links/idp')).statusCode).toBe(204);
    expect((await call('GET', '/api/account/sso-links')).json()).toEqual({
      links: [],
      passwordLoginEnabled: true,
    });
    expect((await call('DELETE', '/api/account/sso-links/idp')).statusCode).toBe(404);
    expect(await lastAudit(t, 'auth.sso_unlinked')).toMatchObject({ actorIp: IP });
    expect(await t.login(username, password)).toBeTruthy();
  });
});

describe('single sign-on with OpenID Connect (auto-create off)', () => {
  let idp: TestOidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    idp = await startOidcProvider([CALLBACK]);
    t = await createTestApp({
      PUBLIC_BASE_URL: APP,
      OIDC_IDP_ISSUER: idp.issuer,
      OIDC_IDP_CLIENT_ID: idp.clientId,
      OIDC_IDP_CLIENT_SECRET: idp.clientSecret,
      // Nothing listens there: a provider that is down.
      OIDC_DOWN_ISSUER: 'http://127.0.0.1:9',
      OIDC_DOWN_CLIENT_ID: 'vertex',
      OIDC_DOWN_CLIENT_SECRET: 'unused-secret',
    });
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  it('refuses a sign-in that matches no account', async () => {
    const outcome = await ssoSignIn(t, idp, {
      sub: 'stranger',
      email: 'stranger@mail.example',
      email_verified: true,
      amr: ['pwd', 'otp'],
    });
    expect(outcome).toEqual({
      location: '/admin/login?ssoError=sso_no_account',
      session: undefined,
    });
    expect(await userByEmail(t, 'stranger@mail.example')).toBeUndefined();
  });

  it('answers a provider that is down with a redirect naming it', async () => {
    const start = await t.app.inject({ url: '/api/auth/sso/down/start' });
    expect(start.statusCode).toBe(302);
    expect(start.headers.location).toBe('/admin/login?ssoError=sso_provider_unavailable');
    const unknown = await t.app.inject({ url: '/api/auth/sso/nope/start' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'sso_provider_unknown' } });
  });
});
