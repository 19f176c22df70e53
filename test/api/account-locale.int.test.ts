import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';

interface LocaleAnswer {
  locale: string;
  localeSource: string;
}

/**
 * The admin app's language (issue 12): the account's saved choice, else the browser's
 * `Accept-Language`, else `DEFAULT_LOCALE`; the login page asks `GET /api/locale`.
 */
describe.each([
  ['ru', 'en'],
  ['en', 'ru'],
] as const)('account language with DEFAULT_LOCALE=%s', (defaultLocale, other) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ DEFAULT_LOCALE: defaultLocale, RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  const me = async (session: LoggedIn, acceptLanguage?: string) => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: {
        ...bearer(session),
        ...(acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage }),
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const { locale, localeSource } = response.json<LocaleAnswer>();
    return { locale, localeSource };
  };
  const save = (session: LoggedIn, body: unknown): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: 'PUT',
      url: '/api/auth/me/locale',
      headers: bearer(session),
      payload: body as Record<string, unknown>,
    });
  const savedInDatabase = async (userId: string) =>
    (
      await t.ctx.database.db
        .selectFrom('users')
        .select('locale')
        .where('id', '=', userId)
        .executeTakeFirstOrThrow()
    ).locale;
  const auditCount = async (userId: string) =>
    (
      await t.ctx.database.db
        .selectFrom('auditLog')
        .select('id')
        .where('action', '=', 'user.locale_change')
        .where('targetId', '=', userId)
        .execute()
    ).length;

  it('without a saved choice: the browser’s language, else DEFAULT_LOCALE', async () => {
    const session = await t.loginAs('operator');
    expect(await me(session, 'en-US,en;q=0.9')).toEqual({
      locale: 'en',
      localeSource: 'browser',
    });
    expect(await me(session, 'ru-RU,ru;q=0.9,en;q=0.8')).toEqual({
      locale: 'ru',
      localeSource: 'browser',
    });
    expect(await me(session)).toEqual({ locale: defaultLocale, localeSource: 'default' });
    expect(await me(session, 'de-DE,fr;q=0.5')).toEqual({
      locale: defaultLocale,
      localeSource: 'default',
    });
  });

  it('the saved choice wins over the browser, in me and in the login answer', async () => {
    const { username, password } = await t.createUser('operator');
    const session = await t.login(username, password);
    const saved = await save(session, { locale: other });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ locale: other });
    expect(await savedInDatabase(session.userId)).toBe(other);
    expect(await auditCount(session.userId)).toBe(1);

    const browserSays = other === 'en' ? 'ru-RU,ru;q=0.9' : 'en-US,en;q=0.9';
    expect(await me(session, browserSays)).toEqual({ locale: other, localeSource: 'account' });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': browserSays },
      payload: { username, password },
    });
    expect(login.json<LocaleAnswer>()).toMatchObject({ locale: other, localeSource: 'account' });

    // The same choice again changes nothing and records nothing; null forgets it.
    expect((await save(session, { locale: other })).statusCode).toBe(200);
    expect(await auditCount(session.userId)).toBe(1);
    expect((await save(session, { locale: null })).statusCode).toBe(200);
    expect(await savedInDatabase(session.userId)).toBeNull();
    expect(await me(session)).toEqual({ locale: defaultLocale, localeSource: 'default' });
  });

  it.each([{ locale: 'de' }, { locale: 'RU' }, { locale: 7 }, {}, { locale: 'en', extra: 1 }])(
    'refuses %j with 400 validation_failed and saves nothing',
    async (body) => {
      const session = await t.loginAs('operator');
      const response = await save(session, body);
      expect(response.statusCode).toBe(400);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
      expect(await savedInDatabase(session.userId)).toBeNull();
      expect(await auditCount(session.userId)).toBe(0);
      expect((await me(session)).localeSource).toBe('default');
    },
  );

  it('only a signed-in person saves a language', async () => {
    const anonymous = await t.app.inject({
      method: 'PUT',
      url: '/api/auth/me/locale',
      payload: { locale: 'en' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('GET /api/locale gives the login page its language before sign-in', async () => {
    const ask = async (acceptLanguage?: string) => {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/locale',
        headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage },
      });
      expect(response.statusCode).toBe(200);
      return response.json<LocaleAnswer>();
    };
    expect(await ask('en-US,en;q=0.9')).toEqual({ locale: 'en', localeSource: 'browser' });
    expect(await ask('ru')).toEqual({ locale: 'ru', localeSource: 'browser' });
    expect(await ask()).toEqual({ locale: defaultLocale, localeSource: 'default' });
  });
});
