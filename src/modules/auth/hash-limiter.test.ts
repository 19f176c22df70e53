import { describe, expect, it } from 'vitest';
import { createHashLimiter } from './hash-limiter.js';

/** A task that finishes when the test says so. */
function deferred() {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { task: () => done, finish };
}

describe('bounded password hashing', () => {
  it('runs at most `concurrency` tasks, queues `queueLimit` more, refuses the rest at once', async () => {
    const limiter = createHashLimiter({ concurrency: 2, queueLimit: 1 });
    const tasks = [deferred(), deferred(), deferred()];
    const running = tasks.map((d) => limiter.run(d.task));
    expect(limiter.load()).toEqual({ running: 2, waiting: 1 });

    await expect(limiter.run(() => Promise.resolve('never'))).rejects.toMatchObject({
      code: 'busy',
      httpStatus: 503,
      details: { retryAfterSeconds: 1 },
    });

    tasks[0]?.finish();
    await running[0];
    // The freed slot went to the queued task: still two running, none waiting.
    expect(limiter.load()).toEqual({ running: 2, waiting: 0 });
    tasks[1]?.finish();
    tasks[2]?.finish();
    await Promise.all(running);
    expect(limiter.load()).toEqual({ running: 0, waiting: 0 });
    await expect(limiter.run(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = createHashLimiter({ concurrency: 1, queueLimit: 0 });
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.load()).toEqual({ running: 0, waiting: 0 });
    await expect(limiter.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('never has more tasks running than allowed under a burst', async () => {
    const limiter = createHashLimiter({ concurrency: 2, queueLimit: 100 });
    let now = 0;
    let peak = 0;
    const work = async () => {
      now++;
      peak = Math.max(peak, now);
      await new Promise((resolve) => setTimeout(resolve, 1));
      now--;
    };
    await Promise.all(Array.from({ length: 40 }, () => limiter.run(work)));
    expect(peak).toBe(2);
  });
});
