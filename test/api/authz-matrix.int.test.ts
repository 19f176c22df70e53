import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/infra/db/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  CALLERS,
  expectedAnswer,
  ROUTE_ACCESS,
  routeKey,
  type Caller,
  type FixtureName,
  type RouteAccess,
} from '../support/authz-matrix.js';
import { placeOrder } from '../support/studio.js';

/**
 * The authorization matrix: every route of the app's OpenAPI document × every kind of caller,
 * each cell checked against the one table in test/support/authz-matrix.ts. Unsafe calls carry
 * `{}` or nothing and unknown ids, so an allowed call never changes a fixture: what is checked
 * is that the guard lets it through (any answer but 401/403) or refuses it with the right code.
 */

const HTTP_METHODS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete', 'options']);
const API_KEYS_ROUTE = 'POST /api/api-keys';
const KEY_CALLERS: ReadonlySet<Caller> = new Set(['operatorApiKey', 'adminApiKey']);

interface DocumentRoute {
  method: string;
  path: string;
}

/** The routes of the OpenAPI document the app serves at /api/docs/json. */
function documentRoutes(t: TestApp): Map<string, DocumentRoute> {
  const document = t.app.swagger() as { paths?: Record<string, Record<string, unknown>> };
  const routes = new Map<string, DocumentRoute>();
  for (const [documentPath, operations] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(operations)) {
      if (!HTTP_METHODS.has(method)) continue;
      const route = { method: method.toUpperCase(), path: documentPath };
      routes.set(routeKey(route.method, route.path), route);
    }
  }
  return routes;
}

describe('authorization matrix (every route × every caller)', () => {
  let t: TestApp;
  let routes: Map<string, DocumentRoute>;
  const users = {} as Record<
    'operator' | 'admin' | 'cookieAdmin',
    { username: string; password: string }
  >;
  const apiKeys = new Map<Role, string>();
  let fixtures: Record<FixtureName, string>;

  beforeAll(async () => {
    // The matrix makes hundreds of calls from one address: rate limits are tested elsewhere.
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    await t.app.ready();
    routes = documentRoutes(t);
    users.operator = await t.createUser('operator');
    users.admin = await t.createUser('admin');
    users.cookieAdmin = await t.createUser('admin');
    const operator = await t.login(users.operator.username, users.operator.password);
    const order = await placeOrder(t, operator, {
      clientName: 'Matrix Client',
      clientPhone: '+7 999 000-00-01',
    });
    fixtures = { ...order, operatorUserId: operator.userId };
    if (routes.has(API_KEYS_ROUTE)) {
      const admin = await t.login(users.admin.username, users.admin.password);
      for (const role of ['operator', 'admin'] as const) {
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/api-keys',
          headers: { authorization: `Bearer ${admin.accessToken}` },
          payload: { name: `matrix ${role}`, role },
        });
        expect(created.statusCode, created.body).toBeLessThan(300);
        apiKeys.set(role, created.json<{ key: string }>().key);
      }
    }
  });
  afterAll(() => t.close());

  it('has exactly one table entry per route of the OpenAPI document', () => {
    const inDocument = [...routes.keys()].sort();
    const inTable = Object.keys(ROUTE_ACCESS).sort();
    expect(
      inDocument.filter((key) => !(key in ROUTE_ACCESS)),
      'routes without an entry in test/support/authz-matrix.ts',
    ).toEqual([]);
    expect(
      inTable.filter((key) => !routes.has(key)),
      'entries in test/support/authz-matrix.ts without a route',
    ).toEqual([]);
  });

  it('runs the API key columns (POST /api/api-keys exists)', (context) => {
    if (!routes.has(API_KEYS_ROUTE)) context.skip();
    expect([...apiKeys.keys()].sort()).toEqual(['admin', 'operator']);
  });

  function urlOf(route: DocumentRoute, rule: RouteAccess): string {
    return route.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
      const value = rule.params?.[name];
      if (value === undefined) return randomUUID();
      return value.startsWith('=') ? value.slice(1) : fixtures[value as FixtureName];
    });
  }

  /** Headers of one caller; sessions are fresh per call (a call may be a logout). */
  async function headersOf(caller: Caller): Promise<Record<string, string>> {
    const bearerOf = (token: string) => ({ authorization: `Bearer ${token}` });
    switch (caller) {
      case 'anonymous':
        return {};
      case 'expiredSession': {
        const session = await t.login(users.operator.username, users.operator.password);
        t.clock.advance((t.config.sessionTimeoutMinutes + 1) * 60_000);
        return bearerOf(session.accessToken);
      }
      case 'operator':
      case 'admin': {
        const session = await t.login(users[caller].username, users[caller].password);
        return bearerOf(session.accessToken);
      }
      case 'operatorApiKey':
      case 'adminApiKey': {
        const key = apiKeys.get(caller === 'adminApiKey' ? 'admin' : 'operator');
        if (key === undefined) throw new Error('no API key: the column should have been skipped');
        return bearerOf(key);
      }
      case 'cookieWithoutCsrf': {
        const session = await t.login(users.cookieAdmin.username, users.cookieAdmin.password);
        return { cookie: session.cookie };
      }
    }
  }

  async function call(route: DocumentRoute, rule: RouteAccess, caller: Caller) {
    const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
    return t.app.inject({
      method: route.method as 'GET',
      url: urlOf(route, rule),
      headers: await headersOf(caller),
      ...(hasBody ? { payload: {} } : {}),
    });
  }

  /** What is wrong with one cell's answer, or undefined when it is as the table says. */
  function mismatch(
    rule: RouteAccess,
    caller: Caller,
    method: string,
    response: LightMyRequestResponse,
  ): string | undefined {
    const expected = expectedAnswer(rule, caller, method);
    const status = response.statusCode;
    const said = `${status} ${response.body.slice(0, 200)}`;
    if (expected.kind === 'refused') {
      const codes = typeof expected.code === 'string' ? [expected.code] : expected.code;
      const code = (response.json<{ error?: { code?: string } }>().error ?? {}).code ?? '';
      if (status !== expected.status || !codes.includes(code)) {
        return `${caller}: expected ${expected.status} ${codes.join('|')}, got ${said}`;
      }
      return undefined;
    }
    if (status === 401 || status === 403 || status >= 500) {
      return `${caller}: expected to be let through, got ${said}`;
    }
    if (rule.allowed !== undefined && !rule.allowed.includes(status)) {
      return `${caller}: expected ${rule.allowed.join('|')}, got ${said}`;
    }
    return undefined;
  }

  for (const [key, rule] of Object.entries(ROUTE_ACCESS)) {
    it(`${key} (${rule.access}${rule.apiKeys === 'refused' ? ', no API keys' : ''})`, async (context) => {
      const route = routes.get(key);
      if (route === undefined) context.skip(); // reported by the table test above
      const problems: string[] = [];
      for (const caller of CALLERS) {
        if (KEY_CALLERS.has(caller) && apiKeys.size === 0) continue;
        const response = await call(route as DocumentRoute, rule, caller);
        const problem = mismatch(rule, caller, (route as DocumentRoute).method, response);
        if (problem !== undefined) problems.push(problem);
      }
      expect(problems).toEqual([]);
    });
  }
});
