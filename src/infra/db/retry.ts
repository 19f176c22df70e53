import { isUniqueViolation } from './errors.js';

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

/**
 * True for an error a fresh attempt of the same transaction can succeed after: a lost race on
 * a unique index, a PostgreSQL serialization failure or deadlock, SQLite being busy.
 */
export function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    isUniqueViolation(error) ||
    code === SERIALIZATION_FAILURE ||
    code === DEADLOCK_DETECTED ||
    code === 'SQLITE_BUSY'
  );
}

/**
 * Runs `attempt` (a whole transaction) again when it lost a race with a concurrent one, up to
 * `attempts` times with a short random back-off; any other error, or the last conflict, is thrown.
 */
export async function retryOnConflict<T>(
  attempt: () => Promise<T>,
  options: { attempts?: number; baseDelayMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 10;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= attempts || !isTransientConflict(error)) throw error;
      const delay = baseDelayMs * n * (1 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
