import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * Signing in with GitHub, end to end. GitHub itself cannot be reached from the tests: a local
 * stand-in serves its OAuth endpoints (`/login/oauth/authorize`, `/login/oauth/access_token`)
 * and its API (`/user`, `/user/emails`) as GitHub documents them, checking PKCE, the client
 * secret and the redirect URI the way GitHub does.
 */
const APP = 'http://vertex.test';
const CALLBACK = `${APP}/api/auth/sso/github/callback`;
const CLIENT_ID = 'Iv1.standin';
const CLIENT_SECRET = 'github-standin-secret';

interface GithubUser {
  id: number;
  login: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

interface GithubStandIn {
  url: string;
  signInAs(user: GithubUser): void;
  close(): Promise<void>;
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      resolve(text);
    });
  });

async function startGithubStandIn(): Promise<GithubStandIn> {
  let current: GithubUser | undefined;
  const codes = new Map<string, { user: GithubUser; challenge: string; redirectUri: string }>();
  const tokens = new Map<string, GithubUser>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === '/login/oauth/authorize') {
        const q = url.searchParams;
        if (
          q.get('client_id') !== CLIENT_ID ||
          q.get('code_challenge_method') !== 'S256' ||
          current === undefined
        ) {
          json(400, { error: 'bad request' });
          return;
        }
        const code = `code-${Math.random().toString(36).slice(2)}`;
        codes.set(code, {
          user: current,
          challenge: q.get('code_challenge') ?? '',
          redirectUri: q.get('redirect_uri') ?? '',
        });
        const back = new URL(q.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        res.end();
        return;
      }
      if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
        const form = new URLSearchParams(await body(req));
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const { createHash } = await import('node:crypto');
        const challenge = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        if (
          req.headers.accept !== 'application/json' ||
          grant === undefined ||
          form.get('client_secret') !== CLIENT_SECRET ||
          form.get('redirect_uri') !== grant.redirectUri ||
          challenge !== grant.challenge
        ) {
          json(200, { error: 'bad_verification_code' });
          return;
        }
        const token = `gho_${Math.random().toString(36).slice(2)}`;
        tokens.set(token, grant.user);
        json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
        return;
      }
      const user = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (user === undefined) {
        json(401, { message: 'Bad credentials' });
        return;
      }
      if (url.pathname === '/user') json(200, { id: user.id, login: user.login, email: null });
      else if (url.pathname === '/user/emails') json(200, user.emails);
      else json(404, { message: 'Not Found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    signInAs(user) {
      current = user;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('single sign-on with GitHub (a local stand-in for github.com)', () => {
  let github: GithubStandIn;
  let t: TestApp;

  /** Start → GitHub (stand-in) → callback, as one browser. */
  async function signIn(user: GithubUser) {
    const start = await t.app.inject({ url: '/api/auth/sso/github/start' });
    expect(start.statusCode, start.body).toBe(302);
    const authUrl = new URL(start.headers.location ?? '');
    expect(`${authUrl.origin}${authUrl.pathname}`).toBe(`${github.url}/login/oauth/authorize`);
    expect(authUrl.searchParams.get('redirect_uri')).toBe(CALLBACK);
    const flow = start.cookies.find((c) => c.name === 'vertex_sso')?.value ?? '';
    github.signInAs(user);
    const answer = await fetch(authUrl, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location') ?? '');
    const callback = await t.app.inject({
      url: `${back.pathname}${back.search}`,
      cookies: { vertex_sso: flow },
    });
    expect(callback.statusCode, callback.body).toBe(302);
    return {
      location: callback.headers.location ?? '',
      session: callback.cookies.find((c) => c.name === 'vertex_session')?.value,
    };
  }

  beforeAll(async () => {
    github = await startGithubStandIn();
    t = await createTestApp({
      PUBLIC_BASE_URL: APP,
      GITHUB_CLIENT_ID: CLIENT_ID,
      GITHUB_CLIENT_SECRET: CLIENT_SECRET,
      GITHUB_BASE_URL: github.url,
      GITHUB_API_URL: github.url,
      OIDC_AUTO_CREATE: 'true',
    });
  });
  afterAll(async () => {
    await t.close();
    await github.close();
  });

  it('lists GitHub among the providers', async () => {
    const response = await t.app.inject({ url: '/api/auth/sso/providers' });
    expect(response.json()).toEqual({
      providers: [{ id: 'github', label: 'GitHub', kind: 'github' }],
    });
  });

  it('signs in end to end: creates the account from the verified primary e-mail, then finds it by id', async () => {
    const octo: GithubUser = {
      id: 583231,
      login: 'Octo-Cat',
      emails: [
        { email: 'old@mail.example', primary: false, verified: true },
        { email: 'octo@mail.example', primary: true, verified: true },
      ],
    };
    const first = await signIn(octo);
    expect(first.location).toBe('/admin/');
    const me = await t.app.inject({
      url: '/api/auth/me',
      cookies: { vertex_session: first.session ?? '' },
    });
    expect(me.json()).toMatchObject({
      user: { username: 'octo-cat', email: 'octo@mail.example', role: 'operator' },
    });
    const link = await t.ctx.database.db.selectFrom('ssoLinks').selectAll().executeTakeFirst();
    expect(link).toMatchObject({
      provider: 'github',
      subject: '583231',
      email: 'octo@mail.example',
    });

    // A new login and e-mail at GitHub: still the same account, found by the numeric id.
    const again = await signIn({
      ...octo,
      login: 'renamed',
      emails: [{ email: 'new@mail.example', primary: true, verified: true }],
    });
    expect(again.location).toBe('/admin/');
    const meAgain = await t.app.inject({
      url: '/api/auth/me',
      cookies: { vertex_session: again.session ?? '' },
    });
    expect(meAgain.json()).toMatchObject({ user: { username: 'octo-cat' } });
  });

  it('refuses an unverified primary e-mail, and a tampered state', async () => {
    await t.ctx.services.usersService.createUser({
      username: 'existing',
      password: 'long-enough-passphrase-52',
      role: 'operator',
      email: 'existing@mail.example',
    });
    const unverified = await signIn({
      id: 99,
      login: 'someone',
      emails: [{ email: 'existing@mail.example', primary: true, verified: false }],
    });
    expect(unverified).toEqual({
      location: '/admin/login?ssoError=sso_email_unverified',
      session: undefined,
    });
    const links = await t.ctx.database.db
      .selectFrom('ssoLinks')
      .selectAll()
      .where('subject', '=', '99')
      .execute();
    expect(links).toEqual([]);

    const start = await t.app.inject({ url: '/api/auth/sso/github/start' });
    const flow = start.cookies.find((c) => c.name === 'vertex_sso')?.value ?? '';
    const forged = await t.app.inject({
      url: '/api/auth/sso/github/callback?code=whatever&state=forged',
      cookies: { vertex_sso: flow },
    });
    expect(forged.headers.location).toBe('/admin/login?ssoError=sso_state_invalid');
  });
});

describe('single sign-on and the login budget', () => {
  it('draws the start and the callback from AUTH_RATE_LIMIT, like the password login', async () => {
    const t = await createTestApp({
      PUBLIC_BASE_URL: APP,
      GITHUB_CLIENT_ID: CLIENT_ID,
      GITHUB_CLIENT_SECRET: CLIENT_SECRET,
      GITHUB_BASE_URL: 'http://127.0.0.1:9',
      GITHUB_API_URL: 'http://127.0.0.1:9',
      AUTH_RATE_LIMIT: '2/minute',
    });
    try {
      const from = { remoteAddress: '198.51.100.23' };
      expect((await t.app.inject({ url: '/api/auth/sso/github/start', ...from })).statusCode).toBe(
        302,
      );
      expect(
        (await t.app.inject({ url: '/api/auth/sso/github/callback', ...from })).statusCode,
      ).toBe(302);
      const refused = await t.app.inject({ url: '/api/auth/sso/github/start', ...from });
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
      // The providers list is not a sign-in step.
      expect((await t.app.inject({ url: '/api/auth/sso/providers', ...from })).statusCode).toBe(
        200,
      );
    } finally {
      await t.close();
    }
  });
});
