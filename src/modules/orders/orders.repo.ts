import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { ProcessingStatus } from '../../infra/db/schema.js';
import { escapeLike, foldForSearch } from '../../shared/search-text.js';

/** Order numbers are human-friendly and unique: `VA-000042`, from a counter row. */
export const formatOrderNumber = (n: number): string => `VA-${String(n).padStart(6, '0')}`;

export function createOrdersRepo() {
  return {
    /** Inserts the order with the next number (inside the caller's transaction); returns the number. */
    async insert(
      db: Executor,
      order: {
        id: string;
        clientId: string;
        portraitId: string;
        createdBy: string | null;
        createdAt: string;
      },
    ): Promise<string> {
      const counter = await db
        .insertInto('counters')
        .values({ name: 'order_number', value: 1 })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })),
        )
        .returning('value')
        .executeTakeFirstOrThrow();
      const number = formatOrderNumber(counter.value);
      await db
        .insertInto('orders')
        .values({ ...order, number })
        .execute();
      return number;
    },

    /** One page of orders (newest first) with client and portrait, and the total. */
    async list(
      db: Executor,
      filter: OrderFilter & { limit: number; offset: number },
    ): Promise<{ rows: OrderListRow[]; total: number }> {
      const [rows, count] = await Promise.all([
        filtered(db, filter)
          .select(ORDER_COLUMNS)
          .orderBy('orders.createdAt', 'desc')
          .orderBy('orders.id', 'desc')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        filtered(db, filter)
          .select((eb) => eb.fn.countAll<number>().as('total'))
          .executeTakeFirstOrThrow(),
      ]);
      return { rows, total: count.total };
    },

    /**
     * The orders matching `filter` in the list's order, `pageSize` rows a query (keyset on
     * `created_at, id`, so a long export neither skips nor repeats rows as pages go by and no
     * page costs more than the first).
     */
    async *inListOrder(
      db: Executor,
      filter: OrderFilter,
      pageSize: number,
    ): AsyncGenerator<OrderListRow & { notes: string | null }> {
      let after: { createdAt: string; id: string } | undefined;
      for (;;) {
        let query = filtered(db, filter).select(ORDER_COLUMNS).select('orders.notes');
        if (after !== undefined) {
          const { createdAt, id } = after;
          query = query.where((eb) =>
            eb.or([
              eb('orders.createdAt', '<', createdAt),
              eb.and([eb('orders.createdAt', '=', createdAt), eb('orders.id', '<', id)]),
            ]),
          );
        }
        const page = await query
          .orderBy('orders.createdAt', 'desc')
          .orderBy('orders.id', 'desc')
          .limit(pageSize)
          .execute();
        yield* page;
        const last = page.at(-1);
        if (last === undefined || page.length < pageSize) return;
        after = { createdAt: last.createdAt, id: last.id };
      }
    },

    /** One order with client, portrait, its note and the username of who created it. */
    findById: (
      db: Executor,
      id: string,
    ): Promise<(OrderListRow & { createdBy: string | null; notes: string | null }) | undefined> =>
      joined(db)
        .leftJoin('users', 'users.id', 'orders.createdBy')
        .select(ORDER_COLUMNS)
        .select(['users.username as createdBy', 'orders.notes'])
        .where('orders.id', '=', id)
        .executeTakeFirst(),
  };
}

export interface OrderFilter {
  /**
   * Search: part of the order number, of the client's name (folded: any case, `ё` = `е`), or of
   * the phone: `phoneDigits` are the digit strings to look for in it (`phoneSearchDigits`).
   */
  search?: { text: string; phoneDigits: readonly string[] };
  /** The portrait's status. */
  status?: ProcessingStatus;
  /** Inclusive lower bound of `created_at` (ISO). */
  createdFrom?: string;
  /** Exclusive upper bound of `created_at` (ISO). */
  createdBefore?: string;
}

export interface OrderListRow {
  id: string;
  number: string;
  createdAt: string;
  clientId: string;
  clientName: string;
  clientPhone: string;
  portraitId: string;
  portraitSlug: string;
  portraitStatus: ProcessingStatus;
  portraitImagesReadyAt: string | null;
  portraitImageVersion: number;
}

const ORDER_COLUMNS = [
  'orders.id',
  'orders.number',
  'orders.createdAt',
  'clients.id as clientId',
  'clients.name as clientName',
  'clients.phone as clientPhone',
  'portraits.id as portraitId',
  'portraits.slug as portraitSlug',
  'portraits.status as portraitStatus',
  'portraits.imagesReadyAt as portraitImagesReadyAt',
  'portraits.imageVersion as portraitImageVersion',
] as const;

const joined = (db: Executor) =>
  db
    .selectFrom('orders')
    .innerJoin('clients', 'clients.id', 'orders.clientId')
    .innerJoin('portraits', 'portraits.id', 'orders.portraitId');

/** `VA-000042`, `va-42`, `000042`, `42`: the order number typed by a person, or null. */
function orderNumberOf(text: string): string | null {
  const match = /^(?:va-?)?0*(\d{1,9})$/i.exec(text.trim());
  return match?.[1] === undefined ? null : formatOrderNumber(Number(match[1]));
}

/**
 * `where` for a search, like the clients' (`clients.repo.ts`): the folded name contains the
 * text, the phone contains one of the digit strings, or the order number contains the text or
 * is the number typed in short (`42` → `VA-000042`).
 */
function searchCondition(search: NonNullable<OrderFilter['search']>) {
  const text = foldForSearch(search.text);
  if (text === '') return undefined;
  const like = `%${escapeLike(text)}%`;
  // Order numbers are ASCII, so `lower()` folds them the same on both dialects.
  const conditions = [
    sql<SqlBool>`coalesce(${sql.ref('clients.nameFolded')}, lower(${sql.ref('clients.name')})) like ${like} escape '\\'`,
    sql<SqlBool>`lower(${sql.ref('orders.number')}) like ${like} escape '\\'`,
  ];
  const number = orderNumberOf(text);
  if (number !== null) conditions.push(sql<SqlBool>`${sql.ref('orders.number')} = ${number}`);
  for (const digits of search.phoneDigits) {
    // Digits only: nothing to escape in the pattern.
    conditions.push(sql<SqlBool>`${sql.ref('clients.phone')} like ${`%${digits}%`}`);
  }
  return sql<SqlBool>`(${sql.join(conditions, sql` or `)})`;
}

function filtered(db: Executor, filter: OrderFilter) {
  let query = joined(db);
  const search = filter.search === undefined ? undefined : searchCondition(filter.search);
  if (search !== undefined) query = query.where(search);
  if (filter.status !== undefined) query = query.where('portraits.status', '=', filter.status);
  if (filter.createdFrom !== undefined)
    query = query.where('orders.createdAt', '>=', filter.createdFrom);
  if (filter.createdBefore !== undefined)
    query = query.where('orders.createdAt', '<', filter.createdBefore);
  return query;
}

export type OrdersRepo = ReturnType<typeof createOrdersRepo>;
