import { createHmac, randomBytes } from 'node:crypto';
import type { Executor } from '../../infra/db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { VisitDedupRepo } from './visit-dedup.repo.js';

/** Who is looking, as the request shows it; never stored as such. */
export interface Visitor {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export interface VisitDedupOptions {
  /** A visitor's view (or the same event) counts again after this long; default 30 min. */
  windowMs?: number;
  /** How often ended windows are deleted, at most; default 1 min. */
  sweepEveryMs?: number;
}

interface Deps {
  repo: VisitDedupRepo;
  clock: Clock;
}

const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * Decides whether a public page view or event is counted: once per visitor, portrait, kind
 * (`view` or the event's name) and window. A visitor is a keyed hash of IP address and user
 * agent under a random salt of the UTC day (shared through the database, deleted once the
 * day is over), so the stored keys say nothing about anyone; at midnight every visitor is new.
 */
export function createVisitDedup({ repo, clock }: Deps, options: VisitDedupOptions = {}) {
  const windowMs = options.windowMs ?? 30 * 60_000;
  const sweepEveryMs = options.sweepEveryMs ?? 60_000;
  const salts = new Map<string, string>();
  let lastSweep = 0;

  async function saltOf(db: Executor, day: string): Promise<string> {
    const known = salts.get(day);
    if (known !== undefined) return known;
    const salt = await repo.saltFor(db, day, randomBytes(32).toString('base64url'));
    salts.clear(); // only today's is ever needed again
    salts.set(day, salt);
    return salt;
  }

  /** True when this is the visitor's first `kind` on the portrait in the current window. */
  async function firstInWindow(
    db: Executor,
    portraitId: string,
    kind: string,
    visitor: Visitor,
  ): Promise<boolean> {
    const now = clock.now();
    const day = utcDay(now);
    const key = createHmac('sha256', await saltOf(db, day))
      .update([portraitId, kind, visitor.ip ?? '', visitor.userAgent ?? ''].join('\0'))
      .digest('base64url');
    if (now.getTime() - lastSweep >= sweepEveryMs) {
      lastSweep = now.getTime();
      await repo.sweep(db, now.toISOString(), day);
    }
    return repo.claim(db, key, now.toISOString(), new Date(now.getTime() + windowMs).toISOString());
  }

  return { firstInWindow };
}

export type VisitDedup = ReturnType<typeof createVisitDedup>;
