import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Executor, SqlDialect } from '../../infra/db/database.js';
import { forUpdate } from '../../infra/db/locks.js';
import type { ClientsTable } from '../../infra/db/schema.js';
import { uuidv7 } from '../../shared/ids.js';
import { escapeLike, foldForSearch } from '../../shared/search-text.js';

export type ClientRow = Selectable<ClientsTable>;

export interface ClientListRow {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  createdAt: string;
  portraitCount: number;
}

export interface ClientSearch {
  /** Part of the name (any case) or of the phone (digits only are compared). */
  q?: string;
  limit: number;
  offset: number;
}

/** `where` for a search: folded name contains the text, or the phone contains its digits. */
function searchCondition(q: string | undefined) {
  const text = q === undefined ? '' : foldForSearch(q);
  if (text === '') return undefined;
  const name = sql<SqlBool>`coalesce(${sql.ref('clients.nameFolded')}, lower(${sql.ref('clients.name')})) like ${`%${escapeLike(text)}%`} escape '\\'`;
  const digits = text.replace(/\D/g, '');
  if (digits === '') return name;
  return sql<SqlBool>`(${name} or ${sql.ref('clients.phone')} like ${`%${digits}%`})`;
}

export function createClientsRepo(dialect: SqlDialect) {
  return {
    /** Locks the client's row until the transaction ends; false when there is no such client. */
    async lockForUpdate(db: Executor, id: string): Promise<boolean> {
      const row = await forUpdate(
        db.selectFrom('clients').select('id').where('id', '=', id),
        dialect,
      ).executeTakeFirst();
      return row !== undefined;
    },

    findByPhone: (db: Executor, phone: string): Promise<ClientRow | undefined> =>
      db.selectFrom('clients').selectAll().where('phone', '=', phone).executeTakeFirst(),

    findById: (db: Executor, id: string): Promise<ClientRow | undefined> =>
      db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst(),

    /**
     * Returns the client with this phone, creating it when there is none. Race-free: a
     * concurrent insert of the same phone is absorbed by `on conflict do nothing`.
     */
    async findOrCreate(
      db: Executor,
      input: { name: string; phone: string; email: string | null },
      now: string,
    ): Promise<{ client: ClientRow; created: boolean }> {
      const result = await db
        .insertInto('clients')
        .values({
          id: uuidv7(),
          ...input,
          nameFolded: foldForSearch(input.name),
          createdAt: now,
          updatedAt: now,
        })
        .onConflict((oc) => oc.column('phone').doNothing())
        .executeTakeFirst();
      const client = await db
        .selectFrom('clients')
        .selectAll()
        .where('phone', '=', input.phone)
        .executeTakeFirstOrThrow();
      return { client, created: (result.numInsertedOrUpdatedRows ?? 0n) > 0n };
    },

    /** One page of clients (newest first) with their portrait counts, and the total. */
    async search(
      db: Executor,
      search: ClientSearch,
    ): Promise<{ rows: ClientListRow[]; total: number }> {
      const condition = searchCondition(search.q);
      let rowsQuery = db
        .selectFrom('clients')
        .select((eb) => [
          'clients.id',
          'clients.name',
          'clients.phone',
          'clients.email',
          'clients.createdAt',
          eb
            .selectFrom('portraits')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('portraits.clientId', '=', 'clients.id')
            .as('portraitCount'),
        ]);
      let countQuery = db
        .selectFrom('clients')
        .select((eb) => eb.fn.countAll<number>().as('total'));
      if (condition !== undefined) {
        rowsQuery = rowsQuery.where(condition);
        countQuery = countQuery.where(condition);
      }
      const [rows, count] = await Promise.all([
        rowsQuery
          .orderBy('clients.createdAt', 'desc')
          .orderBy('clients.id', 'desc')
          .limit(search.limit)
          .offset(search.offset)
          .execute(),
        countQuery.executeTakeFirstOrThrow(),
      ]);
      return {
        rows: rows.map((row) => ({ ...row, portraitCount: row.portraitCount ?? 0 })),
        total: count.total,
      };
    },

    countPortraits: async (db: Executor, clientId: string): Promise<number> => {
      const row = await db
        .selectFrom('portraits')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('clientId', '=', clientId)
        .executeTakeFirstOrThrow();
      return row.n;
    },

    async update(
      db: Executor,
      id: string,
      changes: { name?: string; phone?: string; email?: string | null },
      now: string,
    ): Promise<void> {
      await db
        .updateTable('clients')
        .set({
          ...changes,
          ...(changes.name === undefined ? {} : { nameFolded: foldForSearch(changes.name) }),
          updatedAt: now,
        })
        .where('id', '=', id)
        .execute();
    },

    /** Deletes the client; the database cascades to portraits, videos, markers and orders. */
    async delete(db: Executor, id: string): Promise<boolean> {
      const result = await db.deleteFrom('clients').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type ClientsRepo = ReturnType<typeof createClientsRepo>;
