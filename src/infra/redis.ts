import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/** The shared Redis of several instances (`REDIS_URL`): rate-limit counters for now. */
export interface RedisConnection {
  readonly client: Redis;
  /** Resolves once connected, or `false` after `timeoutMs` (Redis down at start is not fatal). */
  waitUntilReady(timeoutMs: number): Promise<boolean>;
  /** Rejects when Redis does not answer (for `/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** host:port only: the URL may carry a password. */
function describe(client: Redis): string {
  const { host, port } = client.options;
  return `${host ?? '?'}:${port ?? '?'}`;
}

export function createRedisConnection(url: string, logger: FastifyBaseLogger): RedisConnection {
  const client = new Redis(url, {
    // A command while disconnected fails at once instead of waiting in a queue: a request must
    // never hang on Redis; the caller's policy (fail open or closed) decides what happens.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 2000,
    // Keep reconnecting (every 2 s at most) for as long as the process runs.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });

  // One warning per outage, not one per reconnection attempt.
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, redis: describe(client) }, 'Redis unreachable, reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ redis: describe(client) }, 'Redis reachable again');
  });

  return {
    client,
    waitUntilReady(timeoutMs) {
      if (client.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ready: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          resolve(ready);
        };
        const onReady = () => {
          done(true);
        };
        const timer = setTimeout(() => {
          done(false);
        }, timeoutMs);
        client.on('ready', onReady);
      });
    },
    async ping() {
      await client.ping();
    },
    async close() {
      try {
        if (client.status === 'ready') {
          await client.quit();
          return;
        }
      } catch {
        // fall through: drop the connection
      }
      client.disconnect();
    },
  };
}
