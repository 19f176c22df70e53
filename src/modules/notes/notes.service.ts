import type { Database } from '../../infra/db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { NotesRepo, NotesTarget } from './notes.repo.js';
import type { Notes } from './notes.schemas.js';

/** One form for storage: LF line ends, no trailing spaces; empty is no note (null). */
export function normaliseNotes(text: string | null): string | null {
  if (text === null) return null;
  const normalised = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
  return normalised === '' ? null : normalised;
}

interface Deps {
  database: Pick<Database, 'db' | 'transaction'>;
  notes: NotesRepo;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
}

/** The studio's notes on orders and clients: set, clear, audited (without the text itself). */
export function createNotesService({ database, notes, audit, clock }: Deps) {
  async function set(
    target: NotesTarget,
    id: string,
    text: string | null,
    actor: Actor,
  ): Promise<Notes> {
    const next = normaliseNotes(text);
    return database.transaction(async (trx) => {
      const current = await notes.find(trx, target, id);
      if (current === undefined) throw notFound(target);
      if (current.notes === next) return { notes: next };
      await notes.set(trx, target, id, next, clock.now().toISOString());
      await audit.record(
        {
          action: `${target}.notes.set`,
          ...byActor(actor),
          targetType: target,
          targetId: id,
          // The length, not the words: a note may hold personal details.
          details: { cleared: next === null, length: next?.length ?? 0 },
        },
        trx,
      );
      return { notes: next };
    });
  }

  return {
    setOrderNotes: (id: string, text: string | null, actor: Actor) => set('order', id, text, actor),
    setClientNotes: (id: string, text: string | null, actor: Actor) =>
      set('client', id, text, actor),
  };
}

export type NotesService = ReturnType<typeof createNotesService>;
