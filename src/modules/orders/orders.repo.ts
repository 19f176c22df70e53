import type { Executor } from '../../infra/db/database.js';

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
  };
}

export type OrdersRepo = ReturnType<typeof createOrdersRepo>;
