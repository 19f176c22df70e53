import type { Kysely } from 'kysely';

/**
 * Issue 12: a portrait's photo can be replaced (the slug and QR stay). Each photo is a version;
 * its files live under their own keys, so the public page keeps the previous photo's files
 * until the new marker is ready and they are cleaned up. Existing rows are their first photo.
 */
export function portraitImageVersion() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('portraits')
        .addColumn('image_version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
  };
}
