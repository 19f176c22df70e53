import { describe, expect, it } from 'vitest';
import { isTransientConflict, retryOnConflict } from './retry.js';

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('retryOnConflict', () => {
  it('runs the attempt again after a lost race and returns its result', async () => {
    const codes = ['23505', '40001', '40P01', 'SQLITE_CONSTRAINT_UNIQUE'];
    let calls = 0;
    const result = await retryOnConflict(
      () => {
        const code = codes[calls++];
        return code === undefined ? Promise.resolve('done') : Promise.reject(failure(code));
      },
      { attempts: 5, baseDelayMs: 1 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(5);
  });

  it('gives up after the last attempt and never retries other errors', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(
        () => {
          calls++;
          return Promise.reject(failure('23505'));
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toThrow('23505');
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      retryOnConflict(() => {
        calls++;
        return Promise.reject(failure('23503'));
      }),
    ).rejects.toThrow('23503');
    expect(calls).toBe(1);
    expect(isTransientConflict(new Error('plain'))).toBe(false);
    expect(isTransientConflict(null)).toBe(false);
  });
});
