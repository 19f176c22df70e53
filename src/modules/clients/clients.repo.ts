import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { ClientsTable } from '../../infra/db/schema.js';
import { uuidv7 } from '../../shared/ids.js';

export type ClientRow = Selectable<ClientsTable>;

export function createClientsRepo() {
  return {
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
        .values({ id: uuidv7(), ...input, createdAt: now, updatedAt: now })
        .onConflict((oc) => oc.column('phone').doNothing())
        .executeTakeFirst();
      const client = await db
        .selectFrom('clients')
        .selectAll()
        .where('phone', '=', input.phone)
        .executeTakeFirstOrThrow();
      return { client, created: (result.numInsertedOrUpdatedRows ?? 0n) > 0n };
    },
  };
}

export type ClientsRepo = ReturnType<typeof createClientsRepo>;
