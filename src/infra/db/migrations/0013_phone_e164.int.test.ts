import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/support/app.js';
import {
  createTestDatabase,
  testBackend,
  type TestDatabase,
} from '../../../../test/support/database.js';
import { uuidv7 } from '../../../shared/ids.js';
import { createDatabase, type Database } from '../database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';
import type { MigrationLogger } from './0013_phone_e164.js';

/**
 * Migration 0013 on the backend under test: phones stored by the old normaliser (as typed
 * minus punctuation) are rewritten to E.164; clients that now mean the same number are not
 * merged but reported, in the log and by `GET /api/clients/collisions`.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A database migrated to 0012, the version before phones became E.164. */
async function databaseAt0012(): Promise<{ testDatabase: TestDatabase; database: Database }> {
  const testDatabase = await createTestDatabase();
  cleanups.push(() => testDatabase.cleanup());
  const database = createDatabase(testDatabase.config);
  cleanups.push(() => database.destroy());
  await migrateTo(database, testDatabase.config, '0012_observability_indexes');
  return { testDatabase, database };
}

/** Records what the migration logs. */
function recordingLogger() {
  const lines: { level: 'info' | 'warn'; details: object; message: string }[] = [];
  const logger: MigrationLogger = {
    info: (details, message) => lines.push({ level: 'info', details, message }),
    warn: (details, message) => lines.push({ level: 'warn', details, message }),
  };
  return { logger, lines };
}

describe(`migration 0013_phone_e164 (${testBackend()})`, () => {
  it('rewrites old phones to E.164 and reports, without merging, the clients that now collide', async () => {
    const { testDatabase, database } = await databaseAt0012();
    const ids: Record<string, string> = {};
    const oldRows: [key: string, phone: string, createdAt: string][] = [
      ['mariaOld', '89123456789', '2020-01-01T00:00:00.000Z'],
      ['mariaShort', '9123456789', '2021-01-01T00:00:00.000Z'],
      ['mariaE164', '+79123456789', '2022-01-01T00:00:00.000Z'],
      ['annaFirst', '89991234567', '2020-02-01T00:00:00.000Z'],
      ['annaSecond', '79991234567', '2021-02-01T00:00:00.000Z'],
      ['petr', '84957654321', '2020-03-01T00:00:00.000Z'],
      ['london', '+442079460000', '2020-04-01T00:00:00.000Z'],
      ['unreadable', '02079460000', '2020-05-01T00:00:00.000Z'],
    ];
    for (const [key, phone, createdAt] of oldRows) {
      ids[key] = uuidv7();
      await database.db
        .insertInto('clients')
        .values({ id: ids[key], name: key, phone, email: null, createdAt, updatedAt: createdAt })
        .execute();
    }

    const { logger, lines } = recordingLogger();
    const { applied } = await migrateToLatest(database, testDatabase.config, {
      phoneRegion: 'RU',
      logger,
    });
    expect(applied[0]).toBe('0013_phone_e164');

    const rows = await database.db.selectFrom('clients').select(['id', 'phone']).execute();
    const phoneOf = Object.fromEntries(rows.map((row) => [row.id, row.phone]));
    expect(Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, phoneOf[id]]))).toEqual({
      // The row already stored as E.164 keeps the number; the others keep their old value.
      mariaOld: '89123456789',
      mariaShort: '9123456789',
      mariaE164: '+79123456789',
      // No E.164 row yet: the older one gets the number.
      annaFirst: '+79991234567',
      annaSecond: '79991234567',
      petr: '+74957654321',
      london: '+442079460000',
      // Not a Russian number: left for a person to correct.
      unreadable: '02079460000',
    });

    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('warn');
    expect(lines[0]?.message).toMatch(/^3 client\(s\) have the same phone number/);
    expect(lines[0]?.details).toMatchObject({
      migration: '0013_phone_e164',
      region: 'RU',
      renormalised: 2,
      invalid: 1,
      collisions: 3,
    });
    const reported = (lines[0]?.details as { collidingClientIds: string[] }).collidingClientIds;
    expect([...reported].sort()).toEqual(
      [ids.mariaOld, ids.mariaShort, ids.annaSecond].map(String).sort(),
    );
    // Ids only: the log carries no phone number.
    expect(JSON.stringify(lines)).not.toMatch(/912345|999123/);

    // The admin app's list of collisions, from the same database.
    const t: TestApp = await createTestApp({}, { database: testDatabase });
    cleanups.push(() => t.close());
    const operator = await t.loginAs('operator');
    const response = await t.app.inject({
      url: '/api/clients/collisions',
      headers: bearer(operator),
    });
    expect(response.statusCode).toBe(200);
    const groups = response
      .json<{
        groups: { phone: string; holder: { id: string }; duplicates: { id: string }[] }[];
      }>()
      .groups.map((group) => ({
        phone: group.phone,
        holder: group.holder.id,
        duplicates: group.duplicates.map((client) => client.id),
      }));
    expect(groups).toEqual(
      expect.arrayContaining([
        {
          phone: '+79123456789',
          holder: ids.mariaE164,
          duplicates: [ids.mariaOld, ids.mariaShort],
        },
        { phone: '+79991234567', holder: ids.annaFirst, duplicates: [ids.annaSecond] },
      ]),
    );
    expect(groups).toHaveLength(2);
  });

  it('logs a plain summary when nothing collides, and reads numbers in the configured region', async () => {
    const { testDatabase, database } = await databaseAt0012();
    const id = uuidv7();
    const now = new Date().toISOString();
    await database.db
      .insertInto('clients')
      .values({
        id,
        name: 'Aigerim',
        phone: '87012345678',
        email: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();

    const { logger, lines } = recordingLogger();
    await migrateToLatest(database, testDatabase.config, { phoneRegion: 'KZ', logger });

    const row = await database.db
      .selectFrom('clients')
      .select('phone')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.phone).toBe('+77012345678');
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'phone numbers renormalised to E.164',
        details: expect.objectContaining({
          region: 'KZ',
          renormalised: 1,
          collisions: 0,
        }) as object,
      },
    ]);
  });
});
