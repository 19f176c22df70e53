import type { Kysely } from 'kysely';

/**
 * Issue 11: the admin app's audit log filters by actor, action and entity (newest first), and
 * the System status page reads the newest ready markers. Without these, each is a table scan.
 */
export function observabilityIndexes() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('audit_log_actor_at_idx')
        .on('audit_log')
        .columns(['actor_user_id', 'at'])
        .execute();
      await db.schema
        .createIndex('audit_log_action_at_idx')
        .on('audit_log')
        .columns(['action', 'at'])
        .execute();
      await db.schema
        .createIndex('audit_log_target_idx')
        .on('audit_log')
        .columns(['target_type', 'target_id'])
        .execute();
      await db.schema
        .createIndex('markers_status_updated_at_idx')
        .on('markers')
        .columns(['status', 'updated_at'])
        .execute();
    },
  };
}
