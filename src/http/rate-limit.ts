import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';
import type { RateLimitSettings } from '../config.js';
import type { RedisConnection } from '../infra/redis.js';
import type { ErrorCode } from '../shared/error-codes.js';
import { AppError } from '../shared/errors.js';
import { ErrorBody } from './errors.js';
import { formatRateLimitRule, type RateLimitRule } from './rate-limit-rule.js';
import { FAILS_CLOSED, budgetsOf, type Budget } from './rate-limit-routes.js';

/** What `/ready` says about the limiter (it never makes an instance not ready). */
export interface RateLimitReport {
  /** Where the counters live; `off` with `RATE_LIMIT_ENABLED=false`. */
  store: 'redis' | 'memory' | 'off';
  /** `disabled`: no `REDIS_URL`. */
  redis: 'ok' | 'unreachable' | 'disabled';
}

export function rateLimitReport(
  enabled: boolean,
  redis: RedisConnection | null,
): () => Promise<RateLimitReport> {
  const store = !enabled ? 'off' : redis === null ? 'memory' : 'redis';
  return async () => ({
    store,
    redis:
      redis === null
        ? 'disabled'
        : await redis.ping().then(
            () => 'ok' as const,
            () => 'unreachable' as const,
          ),
  });
}

export interface RateLimitDeps {
  settings: RateLimitSettings;
  /** Counters shared by every instance; `null`: in this process's memory. */
  redis: RedisConnection | null;
  keyPrefix: string;
  /** Told of each 429 (metrics), with the budget that refused. */
  onRefused?: (budget: Budget) => void;
}

type Check = ReturnType<FastifyInstance['createRateLimit']>;
interface BudgetCheck {
  budget: Budget;
  rule: RateLimitRule;
  check: Check;
}
interface Shown {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

type Hook = (
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
) => unknown;

/**
 * The client a budget counts: the user or API key once the guard has authenticated the
 * request, else the IP (`request.ip`: `X-Forwarded-For` counts only from `TRUST_PROXY` peers;
 * an IPv6 client is its /64, which one subscriber usually holds whole).
 */
function clientKey(request: FastifyRequest): string {
  const { auth } = request;
  if (auth === null) return `ip:${normalizeIP(request.ip)}`;
  return auth.apiKey === null ? `user:${auth.user.id}` : `key:${auth.apiKey.id}`;
}

function showHeaders(reply: FastifyReply, shown: Shown): void {
  reply
    .header('ratelimit-limit', shown.limit)
    .header('ratelimit-remaining', shown.remaining)
    .header('ratelimit-reset', shown.resetSeconds);
}

/** Runs one hook as Fastify would: async (a promise) or callback style (`done`). */
function runHook(
  hook: Hook,
  instance: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const result = hook.call(instance, request, reply, (error?: Error) => {
      if (error === undefined) resolve();
      else reject(error);
    });
    if (result instanceof Promise) {
      result.then(() => {
        resolve();
      }, reject);
    }
  });
}

const hooksOf = (value: RouteOptions['onRequest']): Hook[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Request budgets (`AUTH_`, `UPLOAD_`, `GLOBAL_`, `PUBLIC_RATE_LIMIT`) on every route they
 * cover, through `@fastify/rate-limit`'s counters (Redis or memory). Must be registered before
 * the routes: it attaches itself to each route as it is added.
 */
export async function registerRateLimits(app: FastifyInstance, deps: RateLimitDeps): Promise<void> {
  const { settings, redis, keyPrefix } = deps;
  if (!settings.enabled) return;
  if (redis !== null) await redis.waitUntilReady(2000);
  await app.register(rateLimit, {
    global: false,
    ...(redis === null ? {} : { redis: redis.client, nameSpace: `${keyPrefix}rate-limit:` }),
  });

  const checks = new Map<Budget, BudgetCheck>(
    (['auth', 'upload', 'global', 'public'] as const).map((budget) => {
      const rule = settings[budget];
      const check = app.createRateLimit({
        max: rule.max,
        timeWindow: rule.windowMs,
        keyGenerator: (request) => `${budget}:${clientKey(request)}`,
      });
      return [budget, { budget, rule, check }];
    }),
  );

  // The store failing is logged once per outage, and once when it is back.
  let storeDown = false;
  const storeFailed = (error: unknown) => {
    if (storeDown) return;
    storeDown = true;
    app.log.warn(
      { err: error },
      'rate-limit store unreachable: public pages and the API are served without limits, ' +
        'login is refused (503 rate_limit_unavailable) until it is back',
    );
  };
  const storeWorks = () => {
    if (!storeDown) return;
    storeDown = false;
    app.log.info('rate-limit store reachable again');
  };

  /** Counts the request in each budget; refuses it (429, or 503) when one says so. */
  async function enforce(
    budgets: BudgetCheck[],
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    let shown: Shown | undefined;
    for (const { budget, rule, check } of budgets) {
      let result: Awaited<ReturnType<Check>>;
      try {
        result = await check(request);
        storeWorks();
      } catch (error) {
        storeFailed(error);
        if (!FAILS_CLOSED[budget]) continue;
        // Sent here rather than thrown: a 5xx AppError is logged per request, and an outage
        // is already logged once.
        const code: ErrorCode = 'rate_limit_unavailable';
        void reply
          .status(503)
          .header('retry-after', 5)
          .send({
            error: {
              code,
              message: 'login is paused: the rate limiter cannot be reached, try again shortly',
              requestId: request.id,
            },
          });
        return;
      }
      if (result.isAllowed) continue;
      const current = {
        limit: result.max,
        remaining: result.remaining,
        resetSeconds: result.ttlInSeconds,
      };
      if (result.isExceeded) {
        deps.onRefused?.(budget);
        showHeaders(reply, current);
        reply.header('retry-after', current.resetSeconds);
        throw new AppError(
          'rate_limited',
          429,
          `too many requests (at most ${formatRateLimitRule(rule)}): retry in ${current.resetSeconds} s`,
          { retryAfterSeconds: current.resetSeconds },
        );
      }
      if (shown === undefined || current.remaining < shown.remaining) shown = current;
    }
    if (shown !== undefined) showHeaders(reply, shown);
  }

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const consumes = (route.schema as { consumes?: unknown } | undefined)?.consumes;
    const existing = hooksOf(route.onRequest);
    const budgets = budgetsOf({
      method: String(methods[0]).toUpperCase(),
      url: route.url,
      guarded: existing.length > 0,
      multipart: Array.isArray(consumes) && consumes.includes('multipart/form-data'),
    }).map((budget) => checks.get(budget) as BudgetCheck);
    if (budgets.length === 0) return;

    const limit = (request: FastifyRequest, reply: FastifyReply) =>
      enforce(budgets, request, reply);
    const hook =
      existing.length === 0
        ? limit
        : // After the guard, so the budget is the user's or API key's; a request the guard
          // refuses counts against its IP, so guessing tokens is limited too.
          async function guardThenLimit(
            this: FastifyInstance,
            request: FastifyRequest,
            reply: FastifyReply,
          ) {
            try {
              for (const guard of existing) {
                await runHook(guard, this, request, reply);
                if (reply.sent) return;
              }
            } catch (error) {
              await limit(request, reply);
              if (reply.sent) return;
              throw error;
            }
            await limit(request, reply);
          };
    route.onRequest = hook;

    // The OpenAPI document names the refusals.
    const schema = route.schema as { response?: Record<string, unknown> } | undefined;
    if (schema?.response !== undefined) {
      route.schema = {
        ...schema,
        response: {
          ...schema.response,
          429: ErrorBody,
          ...(budgets.some(({ budget }) => FAILS_CLOSED[budget]) ? { 503: ErrorBody } : {}),
        },
      };
    }
  });
}
