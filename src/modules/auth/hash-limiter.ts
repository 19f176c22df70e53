import { AppError } from '../../shared/errors.js';

export interface HashLimits {
  /** Password hashes/compares running at once (each holds a libuv thread-pool thread). */
  concurrency: number;
  /** Waiting tasks beyond which new ones are refused at once. */
  queueLimit: number;
}

/** Seconds a refused client is told to wait: a queue this short drains in well under that. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

const busy = () =>
  new AppError('busy', 503, 'the server is busy checking passwords: try again in a moment', {
    retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
  });

/**
 * A semaphore with a short bounded queue for bcrypt work. bcrypt runs on libuv's thread pool
 * (4 threads by default), the same pool file I/O and DNS use: unbounded, a login flood fills it
 * and every static file and database-file read waits behind the hashes. With the bound, a
 * flood costs at most `concurrency` threads and an overflowing request is refused (503
 * `busy`) instead of waiting.
 */
export function createHashLimiter({ concurrency, queueLimit }: HashLimits) {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next(); // the slot passes straight to the next task
  };

  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= queueLimit) throw busy();
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await task();
    } finally {
      release();
    }
  }

  return {
    run,
    /** Tasks running and waiting now (for tests and the bench). */
    load: () => ({ running, waiting: waiting.length }),
  };
}

export type HashLimiter = ReturnType<typeof createHashLimiter>;
