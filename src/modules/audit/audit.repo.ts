import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Executor, SqlDialect } from '../../infra/db/database.js';
import type { AuditLogTable, DB } from '../../infra/db/schema.js';
import { lockNamed } from '../../infra/db/locks.js';

export type AuditRow = Selectable<AuditLogTable>;

/** The audit log table: appends under a chain lock, and reads in insertion order. */
export function createAuditRepo(dialect: SqlDialect) {
  return {
    /** Serialises appends until `trx` ends: two writers cannot chain onto the same entry. */
    lockChain: (trx: Transaction<DB>): Promise<void> =>
      lockNamed(trx, dialect, 'vertex_ar.audit_log'),

    async lastHash(db: Executor): Promise<string | null> {
      const last = await db
        .selectFrom('auditLog')
        .select('hash')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return last?.hash ?? null;
    },

    async insert(db: Executor, row: Insertable<AuditLogTable>): Promise<void> {
      await db.insertInto('auditLog').values(row).execute();
    },

    /** Every entry in chain order, read a page at a time (the log only grows). */
    async *inOrder(db: Executor, pageSize = 500): AsyncGenerator<AuditRow> {
      let after = 0;
      for (;;) {
        const page = await db
          .selectFrom('auditLog')
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq', 'asc')
          .limit(pageSize)
          .execute();
        yield* page;
        const last = page.at(-1);
        if (last === undefined || page.length < pageSize) return;
        after = last.seq;
      }
    },

    /** One page of entries matching `filter`, newest first, with the actor's username. */
    async list(
      db: Executor,
      filter: AuditFilter & { limit: number; offset: number },
    ): Promise<{ rows: AuditListRow[]; total: number }> {
      const [rows, count] = await Promise.all([
        filtered(db, filter)
          .leftJoin('users', 'users.id', 'auditLog.actorUserId')
          .selectAll('auditLog')
          .select('users.username as actorUsername')
          .orderBy('auditLog.seq', 'desc')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        filtered(db, filter)
          .select((eb) => eb.fn.countAll<number>().as('total'))
          .executeTakeFirstOrThrow(),
      ]);
      return { rows, total: count.total };
    },

    /** Names of the API keys an audit page mentions (revoked keys included). */
    async apiKeyNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('apiKeys')
        .select(['id', 'name'])
        .where('id', 'in', [...ids])
        .execute();
      return new Map(rows.map((row) => [row.id, row.name]));
    },

    count: async (db: Executor): Promise<number> =>
      (
        await db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
  };
}

/** What the audit log page filters by; every field narrows the result. */
export interface AuditFilter {
  /** The acting user (API key entries name the key's creator). */
  actor?: { userId: string } | { username: string };
  /** An exact action (`user.create`) or, ending in `.`, every action of an area (`auth.`). */
  action?: { exact: string } | { prefix: string };
  targetType?: string;
  targetId?: string;
  /** Inclusive bounds of `at` (ISO). */
  from?: string;
  to?: string;
}

export type AuditListRow = AuditRow & { actorUsername: string | null };

function filtered(db: Executor, filter: AuditFilter) {
  let query = db.selectFrom('auditLog');
  const { actor, action } = filter;
  if (actor !== undefined) {
    query =
      'userId' in actor
        ? query.where('auditLog.actorUserId', '=', actor.userId)
        : query.where('auditLog.actorUserId', 'in', (eb) =>
            eb.selectFrom('users').select('users.id').where('users.username', '=', actor.username),
          );
  }
  if (action !== undefined) {
    // substr, not LIKE: `_` in action names is a LIKE wildcard and SQLite's LIKE ignores case.
    query =
      'exact' in action
        ? query.where('auditLog.action', '=', action.exact)
        : query.where(
            sql<string>`substr(${sql.ref('auditLog.action')}, 1, ${action.prefix.length})`,
            '=',
            action.prefix,
          );
  }
  if (filter.targetType !== undefined) {
    query = query.where('auditLog.targetType', '=', filter.targetType);
  }
  if (filter.targetId !== undefined) query = query.where('auditLog.targetId', '=', filter.targetId);
  if (filter.from !== undefined) query = query.where('auditLog.at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('auditLog.at', '<=', filter.to);
  return query;
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
