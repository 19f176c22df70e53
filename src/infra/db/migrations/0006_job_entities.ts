import { sql, type Kysely } from 'kysely';

/**
 * Each job names the entity it works on (`entity_id`), so "is a job of this portrait still
 * running?" is an indexed equality, not a pattern match on job keys. Existing rows are filled
 * from their key (`{kind}:{entityId}:{version}`).
 */
export function jobEntities() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('jobs').addColumn('entity_id', 'text').execute();
      const rows = await sql<{ id: string; key: string }>`select id, key from jobs`.execute(db);
      for (const row of rows.rows) {
        const entityId = row.key.split(':')[1] ?? '';
        await sql`update jobs set entity_id = ${entityId} where id = ${row.id}`.execute(db);
      }
      await db.schema
        .createIndex('jobs_entity_idx')
        .on('jobs')
        .columns(['entity_id', 'status'])
        .execute();
    },
  };
}
