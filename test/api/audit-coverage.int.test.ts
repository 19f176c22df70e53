import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { jobByKey, runJobHandler } from '../support/jobs.js';
import { multipartBody, type FilePart } from '../support/multipart.js';
import { listRoutes } from '../support/routes.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { enrolTotp } from '../support/two-factor.js';
import { fixtureParts, placeOrder, type OrderIds } from '../support/studio.js';

/**
 * Every route that changes data, and every read that is a security event, records who did it
 * (R-OBS-2). The table below names, per route, the audit action a successful call writes, or
 * why the route is exempt; a new unsafe route without an entry fails the first test. Then each
 * audited route is called for real and its entry checked: action, actor and address.
 */

type Rule = { action: string; note?: string } | { exempt: string };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `METHOD /url` in Fastify's notation, as the app registers the route. */
const AUDITED: Readonly<Record<string, Rule>> = {
  'POST /api/auth/login': {
    action: 'auth.login',
    note: 'a refused login is auth.login_failed, the lock it causes auth.lockout',
  },
  'POST /api/auth/logout': { action: 'auth.logout' },
  'POST /api/auth/password': {
    action: 'auth.password_change',
    note: 'a wrong current password is auth.password_change_failed',
  },
  'PUT /api/auth/me/locale': {
    action: 'user.locale_change',
    note: 'saving the language already saved changes nothing and records nothing',
  },
  'POST /api/auth/login/2fa': {
    action: 'auth.login',
    note: 'details.via names the second factor; a wrong code is auth.two_factor_failed',
  },
  'POST /api/auth/login/2fa/email': {
    exempt:
      "sends a one-time code to the account's own address; the sign-in it completes is " +
      'auth.login, a wrong code auth.two_factor_failed',
  },
  'POST /api/auth/2fa/totp/setup': {
    exempt: 'a pending secret, in force only once confirmed (auth.two_factor_enabled)',
  },
  'POST /api/auth/2fa/totp/confirm': { action: 'auth.two_factor_enabled' },
  'POST /api/auth/2fa/totp/disable': { action: 'auth.two_factor_disabled' },
  'POST /api/auth/2fa/backup-codes': { action: 'auth.backup_codes_regenerated' },
  'DELETE /api/users/:id/2fa': { action: 'user.two_factor_reset' },
  'POST /api/account/sso/:provider/link': {
    exempt:
      "only starts linking (a sealed cookie, the provider's URL): the callback records " +
      'auth.sso_linked, or auth.sso_refused',
  },
  'DELETE /api/account/sso-links/:provider': { action: 'auth.sso_unlinked' },
  'PUT /api/account/password-login': {
    action: 'auth.password_login_changed',
    note: 'setting what is already set changes nothing and records nothing',
  },
  'DELETE /api/auth/sessions/:id': { action: 'auth.session_revoke' },
  'POST /api/auth/sessions/revoke-others': { action: 'auth.sessions_revoke_others' },
  'DELETE /api/auth/lockouts/:id': { action: 'auth.unlock' },
  'POST /api/api-keys': { action: 'api_key.create' },
  'DELETE /api/api-keys/:id': { action: 'api_key.revoke' },
  'POST /api/users': { action: 'user.create' },
  'PATCH /api/users/:id': { action: 'user.update' },
  'POST /api/users/:id/password': { action: 'user.reset_password' },
  'DELETE /api/users/:id/sessions/:sessionId': { action: 'auth.session_revoke' },
  'POST /api/orders': { action: 'order.create' },
  'PATCH /api/clients/:id': { action: 'client.update' },
  'POST /api/clients/:id/merge': { action: 'client.merge' },
  'PUT /api/orders/:id/notes': { action: 'order.notes.set' },
  'PUT /api/clients/:id/notes': { action: 'client.notes.set' },
  // Reads, but a copy of the studio's orders, clients (personal data) or figures leaves.
  'GET /api/orders/export.csv': { action: 'order.export' },
  'GET /api/clients/export.csv': { action: 'client.export' },
  'GET /api/analytics/export.csv': { action: 'analytics.export' },
  'PUT /api/portraits/:id/image': { action: 'portrait.image.replace' },
  'POST /api/portraits/:id/send-link': {
    action: 'portrait.link.send',
    note: "with the recipient's domain, not the address; a refused send records nothing",
  },
  'POST /api/portraits/:id/marker/regenerate': { action: 'portrait.marker.regenerate' },
  'POST /api/portraits/:id/videos': { action: 'video.add' },
  'POST /api/videos/:id/activate': { action: 'video.activate' },
  'DELETE /api/videos/:id': { action: 'video.delete' },
  'DELETE /api/portraits/:id': { action: 'portrait.delete' },
  'DELETE /api/clients/:id': { action: 'client.delete' },
  'PUT /api/studio/logo': { action: 'studio.logo.set' },
  'DELETE /api/studio/logo': { action: 'studio.logo.remove' },
  'POST /api/backups': {
    action: 'backup.create_requested',
    note: 'the job then records backup.created or backup.failed',
  },
  'POST /api/backups/:id/verify': {
    action: 'backup.verify_requested',
    note: 'the job then records backup.verified or backup.failed',
  },
  // A read, but a copy of every row and file leaves the server.
  'GET /api/backups/:id/archive': { action: 'backup.download' },
  'POST /p/:slug/events': {
    exempt:
      "the public page's anonymous beacon (page events of buyers' phones): only counters " +
      'change, no person acts, and an entry per event would let any visitor grow the chain',
  },
};

const IP = '192.0.2.77';

describe('audit coverage of the routes', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let operator: LoggedIn;
  let kept: OrderIds;
  let removed: OrderIds;
  let smtp: TestSmtpServer;
  /** Ids the scenarios hand on to the ones after them. */
  const state: Record<string, string> = {};

  /** A call from `IP`: JSON `payload`, or a multipart body. */
  const call = (
    session: LoggedIn,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url,
      remoteAddress: IP,
      headers: bearer(session),
      ...(payload === undefined ? {} : { payload }),
    });
  const upload = (
    session: LoggedIn,
    method: 'POST' | 'PUT',
    url: string,
    body: { payload: Buffer; headers: Record<string, string> },
  ) =>
    t.app.inject({
      method,
      url,
      remoteAddress: IP,
      headers: { ...body.headers, ...bearer(session) },
      payload: body.payload,
    });
  /** The answer, once it is a success (else the test fails showing its body). */
  const okBody = (response: LightMyRequestResponse): LightMyRequestResponse => {
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response;
  };
  const loginFrom = async (username: string, password: string, ip = IP) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: ip,
    });
  async function sessionOf(username: string, password: string): Promise<LoggedIn> {
    const body = okBody(await loginFrom(username, password)).json<{
      accessToken: string;
      csrfToken: string;
      user: { id: string };
    }>();
    return {
      accessToken: body.accessToken,
      csrfToken: body.csrfToken,
      cookie: `vertex_session=${body.accessToken}`,
      userId: body.user.id,
    };
  }
  /** A provider identity linked to the account, as a finished sign-on would leave it. */
  const linkIdentity = (userId: string, subject: string) =>
    t.ctx.database.db
      .insertInto('ssoLinks')
      .values({
        userId,
        provider: 'idp',
        subject,
        email: null,
        linkedAt: new Date().toISOString(),
        lastLoginAt: null,
      })
      .execute();
  const newUserSession = async () => {
    const user = await t.createUser('operator');
    return { ...user, session: await sessionOf(user.username, user.password) };
  };

  /** What each audited route is called with; the acting user is checked against `actor`. */
  const SCENARIOS: Record<
    string,
    () => Promise<{ response: LightMyRequestResponse; actor: string }>
  > = {
    'POST /api/auth/login': async () => {
      const user = await t.createUser('operator');
      const response = await loginFrom(user.username, user.password);
      return { response, actor: response.json<{ user: { id: string } }>().user.id };
    },
    'POST /api/auth/logout': async () => {
      const { session } = await newUserSession();
      return { response: await call(session, 'POST', '/api/auth/logout'), actor: session.userId };
    },
    'POST /api/auth/password': async () => {
      const { session, password } = await newUserSession();
      const response = await call(session, 'POST', '/api/auth/password', {
        currentPassword: password,
        newPassword: 'a-brand-new-passphrase-9',
      });
      return { response, actor: session.userId };
    },
    'PUT /api/auth/me/locale': async () => {
      const { session } = await newUserSession();
      const response = await call(session, 'PUT', '/api/auth/me/locale', { locale: 'en' });
      return { response, actor: session.userId };
    },
    'POST /api/auth/login/2fa': async () => {
      const { session, username, password } = await newUserSession();
      const { app } = await enrolTotp(t, session, IP);
      const challenge = okBody(await loginFrom(username, password)).json<{ challenge: string }>();
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login/2fa',
        payload: { challenge: challenge.challenge, code: app.next() },
        remoteAddress: IP,
      });
      return { response, actor: session.userId };
    },
    'POST /api/auth/2fa/totp/confirm': async () => {
      const { session } = await newUserSession();
      const { confirm } = await enrolTotp(t, session, IP);
      return { response: confirm, actor: session.userId };
    },
    'POST /api/auth/2fa/totp/disable': async () => {
      const { session, password } = await newUserSession();
      const { app } = await enrolTotp(t, session, IP);
      const response = await call(session, 'POST', '/api/auth/2fa/totp/disable', {
        password,
        code: app.next(),
      });
      return { response, actor: session.userId };
    },
    'POST /api/auth/2fa/backup-codes': async () => {
      const { session } = await newUserSession();
      const { app } = await enrolTotp(t, session, IP);
      const response = await call(session, 'POST', '/api/auth/2fa/backup-codes', {
        code: app.next(),
      });
      return { response, actor: session.userId };
    },
    'DELETE /api/users/:id/2fa': async () => {
      const { session } = await newUserSession();
      await enrolTotp(t, session, IP);
      return {
        response: await call(admin, 'DELETE', `/api/users/${session.userId}/2fa`),
        actor: admin.userId,
      };
    },
    'DELETE /api/account/sso-links/:provider': async () => {
      const { session } = await newUserSession();
      await linkIdentity(session.userId, 'coverage-unlink');
      return {
        response: await call(session, 'DELETE', '/api/account/sso-links/idp'),
        actor: session.userId,
      };
    },
    'PUT /api/account/password-login': async () => {
      const { session } = await newUserSession();
      await linkIdentity(session.userId, 'coverage-password-off');
      const response = await call(session, 'PUT', '/api/account/password-login', {
        enabled: false,
      });
      return { response, actor: session.userId };
    },
    'DELETE /api/auth/sessions/:id': async () => {
      const { session, username, password } = await newUserSession();
      const other = await sessionOf(username, password);
      const { items } = okBody(await call(session, 'GET', '/api/auth/sessions')).json<{
        items: { id: string; current: boolean }[];
      }>();
      const target = items.find((s) => !s.current)?.id ?? '';
      expect(other.userId).toBe(session.userId);
      return {
        response: await call(session, 'DELETE', `/api/auth/sessions/${target}`),
        actor: session.userId,
      };
    },
    'POST /api/auth/sessions/revoke-others': async () => {
      const { session, username, password } = await newUserSession();
      await sessionOf(username, password);
      return {
        response: await call(session, 'POST', '/api/auth/sessions/revoke-others'),
        actor: session.userId,
      };
    },
    'DELETE /api/auth/lockouts/:id': async () => {
      const user = await t.createUser('operator');
      for (let i = 0; i < t.config.lockout.maxAttempts; i++) {
        await loginFrom(user.username, 'not-the-password', '198.51.100.66');
      }
      const { items } = okBody(await call(admin, 'GET', '/api/auth/lockouts')).json<{
        items: { id: string; username: string | null }[];
      }>();
      const lock = items.find((item) => item.username === user.username)?.id ?? '';
      return {
        response: await call(admin, 'DELETE', `/api/auth/lockouts/${lock}`),
        actor: admin.userId,
      };
    },
    'POST /api/api-keys': async () => {
      const response = await call(admin, 'POST', '/api/api-keys', {
        name: 'coverage',
        role: 'operator',
      });
      state.apiKeyId = response.json<{ id: string }>().id;
      return { response, actor: admin.userId };
    },
    'DELETE /api/api-keys/:id': async () => ({
      response: await call(admin, 'DELETE', `/api/api-keys/${state.apiKeyId ?? ''}`),
      actor: admin.userId,
    }),
    'POST /api/users': async () => {
      const response = await call(admin, 'POST', '/api/users', {
        username: 'coverage-user',
        password: 'quiet-river-stone-77',
        role: 'operator',
      });
      state.userId = response.json<{ id: string }>().id;
      return { response, actor: admin.userId };
    },
    'PATCH /api/users/:id': async () => ({
      response: await call(admin, 'PATCH', `/api/users/${state.userId ?? ''}`, { role: 'admin' }),
      actor: admin.userId,
    }),
    'POST /api/users/:id/password': async () => ({
      response: await call(admin, 'POST', `/api/users/${state.userId ?? ''}/password`, {
        password: 'another-river-stone-88',
      }),
      actor: admin.userId,
    }),
    'DELETE /api/users/:id/sessions/:sessionId': async () => {
      const user = await sessionOf('coverage-user', 'another-river-stone-88');
      const { items } = okBody(
        await call(admin, 'GET', `/api/users/${user.userId}/sessions`),
      ).json<{ items: { id: string }[] }>();
      return {
        response: await call(
          admin,
          'DELETE',
          `/api/users/${user.userId}/sessions/${items[0]?.id ?? ''}`,
        ),
        actor: admin.userId,
      };
    },
    'POST /api/orders': async () => {
      const parts = await fixtureParts();
      const body = multipartBody(
        { clientName: 'Coverage Client', clientPhone: '+7 900 555-00-11' },
        { portrait: parts.portrait, video: parts.video },
      );
      return {
        response: await upload(operator, 'POST', '/api/orders', body),
        actor: operator.userId,
      };
    },
    'PATCH /api/clients/:id': async () => ({
      response: await call(operator, 'PATCH', `/api/clients/${kept.clientId}`, { name: 'Renamed' }),
      actor: operator.userId,
    }),
    'POST /api/clients/:id/merge': async () => {
      const duplicate = await placeOrder(t, operator, {
        clientName: 'Kept again',
        clientPhone: '+7 900 555-00-03',
      });
      return {
        response: await call(operator, 'POST', `/api/clients/${duplicate.clientId}/merge`, {
          intoId: kept.clientId,
        }),
        actor: operator.userId,
      };
    },
    'PUT /api/portraits/:id/image': async () => {
      // No job runs here: the first marker is made to have failed, so a new photo may come.
      await t.ctx.database.db
        .updateTable('markers')
        .set({ status: 'failed' })
        .where('portraitId', '=', kept.portraitId)
        .execute();
      const body = multipartBody({}, { portrait: (await fixtureParts()).portrait });
      return {
        response: await upload(operator, 'PUT', `/api/portraits/${kept.portraitId}/image`, body),
        actor: operator.userId,
      };
    },
    'POST /api/portraits/:id/send-link': async () => ({
      response: await call(operator, 'POST', `/api/portraits/${kept.portraitId}/send-link`, {
        email: 'buyer@mail.example',
      }),
      actor: operator.userId,
    }),
    'PUT /api/orders/:id/notes': async () => ({
      response: await call(operator, 'PUT', `/api/orders/${kept.orderId}/notes`, {
        notes: 'Pick up on Friday',
      }),
      actor: operator.userId,
    }),
    'PUT /api/clients/:id/notes': async () => ({
      response: await call(operator, 'PUT', `/api/clients/${kept.clientId}/notes`, {
        notes: 'Prefers WhatsApp',
      }),
      actor: operator.userId,
    }),
    'GET /api/orders/export.csv': async () => ({
      response: await call(operator, 'GET', '/api/orders/export.csv'),
      actor: operator.userId,
    }),
    'GET /api/clients/export.csv': async () => ({
      response: await call(operator, 'GET', '/api/clients/export.csv'),
      actor: operator.userId,
    }),
    'GET /api/analytics/export.csv': async () => ({
      response: await call(operator, 'GET', '/api/analytics/export.csv'),
      actor: operator.userId,
    }),
    'POST /api/portraits/:id/marker/regenerate': async () => {
      // No job runs here: the first marker is made to have failed, so a new one may start.
      await t.ctx.database.db
        .updateTable('markers')
        .set({ status: 'failed' })
        .where('portraitId', '=', kept.portraitId)
        .execute();
      return {
        response: await call(
          operator,
          'POST',
          `/api/portraits/${kept.portraitId}/marker/regenerate`,
        ),
        actor: operator.userId,
      };
    },
    'POST /api/portraits/:id/videos': async () => {
      const body = multipartBody({}, { video: (await fixtureParts()).video });
      const response = await upload(
        operator,
        'POST',
        `/api/portraits/${kept.portraitId}/videos`,
        body,
      );
      state.videoId = response.json<{ id: string }>().id;
      return { response, actor: operator.userId };
    },
    'POST /api/videos/:id/activate': async () => {
      // Processing is the job's: the new video is made ready by hand.
      await t.ctx.database.db
        .updateTable('videos')
        .set({ status: 'ready' })
        .where('id', '=', state.videoId ?? '')
        .execute();
      return {
        response: await call(operator, 'POST', `/api/videos/${state.videoId ?? ''}/activate`),
        actor: operator.userId,
      };
    },
    'DELETE /api/videos/:id': async () => ({
      response: await call(admin, 'DELETE', `/api/videos/${kept.videoId}`),
      actor: admin.userId,
    }),
    'DELETE /api/portraits/:id': async () => ({
      response: await call(admin, 'DELETE', `/api/portraits/${kept.portraitId}`),
      actor: admin.userId,
    }),
    'DELETE /api/clients/:id': async () => ({
      response: await call(admin, 'DELETE', `/api/clients/${removed.clientId}`),
      actor: admin.userId,
    }),
    'PUT /api/studio/logo': async () => {
      const png = await sharp({
        create: { width: 200, height: 100, channels: 4, background: '#1d3a8a' },
      })
        .png()
        .toBuffer();
      const logo: FilePart = { content: png, filename: 'logo.png', contentType: 'image/png' };
      return {
        response: await upload(admin, 'PUT', '/api/studio/logo', multipartBody({}, { logo })),
        actor: admin.userId,
      };
    },
    'DELETE /api/studio/logo': async () => ({
      response: await call(admin, 'DELETE', '/api/studio/logo'),
      actor: admin.userId,
    }),
    'POST /api/backups': async () => {
      const response = await call(admin, 'POST', '/api/backups');
      // The job, run here, makes the backup the next two routes use.
      const runId = response.json<{ id: string }>().id;
      const job = await jobByKey(t, `backup.create:${runId}:1`);
      await runJobHandler(t, 'backup.create', job?.payload ?? {});
      const run = okBody(await call(admin, 'GET', `/api/backups/runs/${runId}`)).json<{
        backupId: string;
      }>();
      state.backupId = run.backupId;
      return { response, actor: admin.userId };
    },
    'POST /api/backups/:id/verify': async () => ({
      response: await call(admin, 'POST', `/api/backups/${state.backupId ?? ''}/verify`),
      actor: admin.userId,
    }),
    'GET /api/backups/:id/archive': async () => ({
      response: await call(admin, 'GET', `/api/backups/${state.backupId ?? ''}/archive`),
      actor: admin.userId,
    }),
  };

  beforeAll(async () => {
    // Dozens of logins from one address; rate limits have tests of their own.
    smtp = await startSmtpServer();
    t = await createTestApp({
      RATE_LIMIT_ENABLED: 'false',
      BACKUP_ENCRYPTION: 'none',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'studio@mail.example',
    });
    await t.app.ready();
    admin = await t.loginAs('admin');
    operator = await t.loginAs('operator');
    kept = await placeOrder(t, operator, { clientName: 'Kept', clientPhone: '+7 900 555-00-01' });
    removed = await placeOrder(t, operator, {
      clientName: 'Removed',
      clientPhone: '+7 900 555-00-02',
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('has an entry for every unsafe route, and a route for every entry', () => {
    const routes = listRoutes(t.app).map((route) => `${route.method} ${route.url}`);
    const unsafe = routes.filter((key) => UNSAFE.has(key.split(' ')[0] ?? ''));
    expect(unsafe.length).toBeGreaterThan(20); // the route list was read
    expect(
      unsafe.filter((key) => !(key in AUDITED)),
      'unsafe routes with neither an audit action nor an exemption in this table',
    ).toEqual([]);
    expect(
      Object.keys(AUDITED).filter((key) => !routes.includes(key)),
      'entries of this table without a route',
    ).toEqual([]);
  });

  it('calls every audited route in this file', () => {
    const audited = Object.entries(AUDITED).filter(([, rule]) => 'action' in rule);
    expect(audited.map(([key]) => key).filter((key) => !(key in SCENARIOS))).toEqual([]);
  });

  for (const [key, rule] of Object.entries(AUDITED)) {
    if (!('action' in rule)) continue;
    it(`${key} records ${rule.action}`, async () => {
      const scenario = SCENARIOS[key];
      if (scenario === undefined) throw new Error(`no scenario for ${key}`);
      const last = await t.ctx.database.db
        .selectFrom('auditLog')
        .select('seq')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const { response, actor } = await scenario();
      expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(300);
      const entries = await t.ctx.database.db
        .selectFrom('auditLog')
        .select(['action', 'actorUserId', 'actorIp'])
        .where('seq', '>', last?.seq ?? 0)
        .where('action', '=', rule.action)
        .execute();
      expect(entries).toContainEqual({ action: rule.action, actorUserId: actor, actorIp: IP });
    });
  }

  it('records refused logins and the lock they cause, from where they came', async () => {
    const entries = await t.ctx.database.db
      .selectFrom('auditLog')
      .select(['action', 'actorIp'])
      .where('action', 'in', ['auth.login_failed', 'auth.lockout'])
      .execute();
    const from = (action: string) => entries.filter((e) => e.action === action);
    expect(from('auth.login_failed')).toHaveLength(t.config.lockout.maxAttempts);
    expect(from('auth.lockout')).toEqual([{ action: 'auth.lockout', actorIp: '198.51.100.66' }]);
    expect(await t.ctx.services.auditService.verifyChain()).toBeNull();
  });
});
