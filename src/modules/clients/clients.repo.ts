import { sql, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Executor, SqlDialect } from '../../infra/db/database.js';
import { forUpdate } from '../../infra/db/locks.js';
import type { ClientsTable, DB } from '../../infra/db/schema.js';
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
  /** Part of the name or of the e-mail (any case), or of the phone (its digits, see below). */
  q?: string;
  /**
   * Digit strings of `q` to find in phones, any one matching (`phoneSearchDigits`: the query
   * read as a phone too, so "8 912 345-67-89" finds +79123456789). Unset: `q`'s digits.
   */
  phoneDigits?: readonly string[];
  limit: number;
  offset: number;
}

/** A client whose stored phone is not E.164 (left so by migration 0013, or invalid). */
export interface UnnormalisedPhoneRow {
  id: string;
  phone: string;
}

/**
 * `where` for a search: the folded name or the e-mail contains the text, or the phone contains
 * one of the digit strings.
 */
/** A client as lists show it: with how many portraits they have. */
const listItemColumns = (eb: ExpressionBuilder<DB, 'clients'>) =>
  [
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
  ] as const;

function searchCondition(q: string | undefined, phoneDigits: readonly string[] | undefined) {
  const text = q === undefined ? '' : foldForSearch(q);
  if (text === '') return undefined;
  const pattern = `%${escapeLike(text)}%`;
  const name = sql<SqlBool>`coalesce(${sql.ref('clients.nameFolded')}, lower(${sql.ref('clients.name')})) like ${pattern} escape '\\'`;
  // E-mails are stored lower-cased; lower() keeps older rows found too.
  const email = sql<SqlBool>`lower(${sql.ref('clients.email')}) like ${pattern} escape '\\'`;
  const digits = (phoneDigits ?? [text.replace(/\D/g, '')]).filter((d) => /^\d+$/.test(d));
  const phones = digits.map((d) => sql<SqlBool>`${sql.ref('clients.phone')} like ${`%${d}%`}`);
  return sql<SqlBool>`(${sql.join([name, email, ...phones], sql` or `)})`;
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
      const condition = searchCondition(search.q, search.phoneDigits);
      let rowsQuery = db.selectFrom('clients').select(listItemColumns);
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
      changes: { name?: string; phone?: string; email?: string | null; notes?: string },
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

    /**
     * Clients whose phone is not E.164 (no leading `+`): those migration 0013 left with their
     * old value because another client holds the number, and numbers it could not read.
     */
    listUnnormalisedPhones: (db: Executor): Promise<UnnormalisedPhoneRow[]> =>
      db
        .selectFrom('clients')
        .select(['id', 'phone'])
        .where('phone', 'not like', '+%')
        .orderBy('createdAt')
        .orderBy('id')
        .execute(),

    /** The clients (as in lists) with these ids, oldest first. */
    async listItems(db: Executor, ids: readonly string[]): Promise<ClientListRow[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('clients')
        .select(listItemColumns)
        .where('clients.id', 'in', ids)
        .orderBy('clients.createdAt')
        .orderBy('clients.id')
        .execute();
      return rows.map((row) => ({ ...row, portraitCount: row.portraitCount ?? 0 }));
    },

    /** Ids of the clients holding these phones, by phone. */
    async idsByPhone(db: Executor, phones: readonly string[]): Promise<Map<string, string>> {
      if (phones.length === 0) return new Map();
      const rows = await db
        .selectFrom('clients')
        .select(['id', 'phone'])
        .where('phone', 'in', phones)
        .execute();
      return new Map(rows.map((row) => [row.phone, row.id]));
    },

    /** Gives the portraits and orders of client `fromId` to `intoId`; how many of each. */
    async moveOwned(
      db: Executor,
      fromId: string,
      intoId: string,
    ): Promise<{ portraits: number; orders: number }> {
      const portraits = await db
        .updateTable('portraits')
        .set({ clientId: intoId })
        .where('clientId', '=', fromId)
        .executeTakeFirst();
      const orders = await db
        .updateTable('orders')
        .set({ clientId: intoId })
        .where('clientId', '=', fromId)
        .executeTakeFirst();
      return {
        portraits: Number(portraits.numUpdatedRows),
        orders: Number(orders.numUpdatedRows),
      };
    },

    /** Deletes the client; the database cascades to portraits, videos, markers and orders. */
    async delete(db: Executor, id: string): Promise<boolean> {
      const result = await db.deleteFrom('clients').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type ClientsRepo = ReturnType<typeof createClientsRepo>;
