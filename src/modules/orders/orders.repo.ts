import type { Executor } from '../../infra/db/database.js';
import type { ProcessingStatus } from '../../infra/db/schema.js';

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

    /** One order with client, portrait and the username of who created it. */
    findById: (
      db: Executor,
      id: string,
    ): Promise<(OrderListRow & { createdBy: string | null }) | undefined> =>
      joined(db)
        .leftJoin('users', 'users.id', 'orders.createdBy')
        .select(ORDER_COLUMNS)
        .select('users.username as createdBy')
        .where('orders.id', '=', id)
        .executeTakeFirst(),
  };
}

export interface OrderFilter {
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
] as const;

const joined = (db: Executor) =>
  db
    .selectFrom('orders')
    .innerJoin('clients', 'clients.id', 'orders.clientId')
    .innerJoin('portraits', 'portraits.id', 'orders.portraitId');

function filtered(db: Executor, filter: OrderFilter) {
  let query = joined(db);
  if (filter.status !== undefined) query = query.where('portraits.status', '=', filter.status);
  if (filter.createdFrom !== undefined)
    query = query.where('orders.createdAt', '>=', filter.createdFrom);
  if (filter.createdBefore !== undefined)
    query = query.where('orders.createdAt', '<', filter.createdBefore);
  return query;
}

export type OrdersRepo = ReturnType<typeof createOrdersRepo>;
