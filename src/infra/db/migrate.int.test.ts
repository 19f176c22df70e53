import { sql, type Insertable } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackend } from '../../../test/support/database.js';
import type { TestDatabase } from '../../../test/support/database.js';
import type { DatabaseConfig } from '../../config.js';
import { uuidv7 } from '../../shared/ids.js';
import { createDatabase } from './database.js';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { allMigrations } from './migrations/index.js';
import type { UsersTable } from './schema.js';

/**
 * Migrations against the backend under test (a fresh SQLite file in `sqlite-local`, a fresh
 * PostgreSQL schema in `postgres-s3`). Every test gets its own empty database.
 */

const EXPECTED_TABLES = ['users', 'sessions', 'audit_log'];

const testDatabases: TestDatabase[] = [];
const openDatabases: Database[] = [];

afterEach(async () => {
  for (const database of openDatabases.splice(0)) await database.destroy();
  for (const testDatabase of testDatabases.splice(0)) await testDatabase.cleanup();
});

/** A new empty database of the backend under test, destroyed after the test. */
async function emptyDatabase(): Promise<{ config: DatabaseConfig; database: Database }> {
  const testDatabase = await createTestDatabase();
  testDatabases.push(testDatabase);
  return { config: testDatabase.config, database: connect(testDatabase.config) };
}

/** One more connection (pool) to a database, closed after the test. */
function connect(config: DatabaseConfig): Database {
  const database = createDatabase(config);
  openDatabases.push(database);
  return database;
}

async function migratedDatabase(): Promise<Database> {
  const { config, database } = await emptyDatabase();
  await migrateToLatest(database, config);
  return database;
}

/** Names recorded in Kysely's migrations table, in the order they were applied. */
async function recordedMigrations(database: Database, config: DatabaseConfig): Promise<string[]> {
  const table =
    config.kind === 'postgres'
      ? sql.table(`${config.schema}.kysely_migration`)
      : sql.table('kysely_migration');
  const { rows } = await sql<{
    name: string;
  }>`select name from ${table} order by timestamp, name`.execute(database.db);
  return rows.map((row) => row.name);
}

/** Tables (without Kysely's own) per schema; SQLite has a single unnamed schema. */
async function tablesBySchema(database: Database): Promise<Map<string, string[]>> {
  const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true });
  const result = new Map<string, string[]>();
  for (const table of tables) {
    const schema = table.schema ?? '';
    result.set(schema, [...(result.get(schema) ?? []), table.name]);
  }
  return result;
}

function user(overrides: Partial<Insertable<UsersTable>> = {}): Insertable<UsersTable> {
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    username: `user-${uuidv7()}`,
    email: null,
    passwordHash: 'not-a-real-bcrypt-hash',
    role: 'operator',
    disabledAt: null,
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
    locale: null,
    passwordLoginDisabled: 0,
    ...overrides,
  };
}

function session(userId: string): {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
} {
  const now = new Date();
  return {
    id: uuidv7(),
    userId,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
  };
}

describe(`migrateToLatest (${testBackend()})`, () => {
  it('applies every migration in order on an empty database, then nothing on a second run', async () => {
    const { config, database } = await emptyDatabase();
    const expected = Object.keys(allMigrations(database.dialect));
    expect(expected.length).toBeGreaterThan(0);
    expect([...expected].sort()).toEqual(expected);

    const first = await migrateToLatest(database, config);
    expect(first.applied).toEqual(expected);
    expect(await recordedMigrations(database, config)).toEqual(expected);

    const second = await migrateToLatest(database, config);
    expect(second.applied).toEqual([]);
    expect(await recordedMigrations(database, config)).toEqual(expected);
  });

  it('is a no-op for a later start with a new connection (restart)', async () => {
    const { config, database } = await emptyDatabase();
    await migrateToLatest(database, config);
    await database.destroy();
    openDatabases.splice(openDatabases.indexOf(database), 1);

    const restarted = connect(config);
    await expect(migrateToLatest(restarted, config)).resolves.toEqual({ applied: [] });
    const expected = Object.keys(allMigrations(restarted.dialect));
    expect(await recordedMigrations(restarted, config)).toEqual(expected);
  });

  it('creates the users, sessions and audit_log tables', async () => {
    const { config, database } = await emptyDatabase();
    await migrateToLatest(database, config);

    const tables = await database.db.introspection.getTables();
    const names = tables
      .filter((table) => config.kind === 'sqlite' || table.schema === config.schema)
      .map((table) => table.name);
    expect(names).toEqual(expect.arrayContaining(EXPECTED_TABLES));

    const users = tables.find(
      (table) =>
        table.name === 'users' && (config.kind === 'sqlite' || table.schema === config.schema),
    );
    expect(users?.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['id', 'username', 'password_hash', 'role', 'created_at']),
    );
  });

  if (testBackend() === 'postgres-s3') {
    it('puts every table, Kysely’s included, in the configured schema and none in public', async () => {
      const { config, database } = await emptyDatabase();
      if (config.kind !== 'postgres') throw new Error('expected PostgreSQL');
      expect(config.schema).not.toBe('public');
      const publicBefore = (await tablesBySchema(database)).get('public') ?? [];

      await migrateToLatest(database, config);

      const after = await tablesBySchema(database);
      expect(after.get(config.schema)).toEqual(
        expect.arrayContaining([...EXPECTED_TABLES, 'kysely_migration', 'kysely_migration_lock']),
      );
      expect(after.get('public') ?? []).toEqual(publicBefore);
    });

    it('lets two instances migrate the same fresh schema at once, applying each migration once', async () => {
      const { config, database: first } = await emptyDatabase();
      if (config.kind !== 'postgres') throw new Error('expected PostgreSQL');
      const second = connect(config);
      const expected = Object.keys(allMigrations('postgres'));

      const reports = await Promise.all([
        migrateToLatest(first, config),
        migrateToLatest(second, config),
      ]);

      expect(reports.flatMap((report) => report.applied).sort()).toEqual(expected);
      expect(await recordedMigrations(first, config)).toEqual(expected);
      const tables = await tablesBySchema(first);
      expect(tables.get(config.schema)).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    });
  }
});

describe(`migrated schema (${testBackend()})`, () => {
  it('round-trips timestamps as the same ISO-8601 strings', async () => {
    const database = await migratedDatabase();
    const createdAt = new Date().toISOString();
    const passwordChangedAt = '2024-02-29T23:59:59.999Z';
    const disabledAt = '1999-12-31T00:00:00.000Z';
    const row = user({ createdAt, updatedAt: createdAt, passwordChangedAt, disabledAt });
    await database.db.insertInto('users').values(row).execute();

    const stored = await database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual(row);
    expect(typeof stored.createdAt).toBe('string');
    expect(stored.createdAt).toBe(createdAt);
  });

  it('orders rows by timestamp columns chronologically', async () => {
    const database = await migratedDatabase();
    const early = user({ createdAt: '2024-01-01T00:00:00.000Z' });
    const late = user({ createdAt: '2024-01-01T00:00:00.001Z' });
    await database.db.insertInto('users').values([late, early]).execute();
    const ids = await database.db
      .selectFrom('users')
      .select('id')
      .where('createdAt', '>=', '2024-01-01T00:00:00.000Z')
      .orderBy('createdAt')
      .execute();
    expect(ids.map((row) => row.id)).toEqual([early.id, late.id]);
  });

  it('rejects an unknown role', async () => {
    const database = await migratedDatabase();
    const row = user();
    await expect(
      sql`insert into users (id, username, password_hash, role, password_changed_at, created_at, updated_at)
          values (${row.id}, ${row.username}, ${row.passwordHash}, ${'superuser'},
                  ${row.createdAt}, ${row.createdAt}, ${row.createdAt})`.execute(database.db),
    ).rejects.toThrow(/check constraint/i);
    const count = await database.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(0);

    await database.db
      .insertInto('users')
      .values([user({ role: 'admin' }), user({ role: 'operator' })])
      .execute();
    const roles = await database.db.selectFrom('users').select('role').orderBy('role').execute();
    expect(roles).toEqual([{ role: 'admin' }, { role: 'operator' }]);
  });

  it('rejects a duplicate username', async () => {
    const database = await migratedDatabase();
    await database.db
      .insertInto('users')
      .values(user({ username: 'alice' }))
      .execute();
    await expect(
      database.db
        .insertInto('users')
        .values(user({ username: 'alice' }))
        .execute(),
    ).rejects.toThrow(/unique/i);
  });

  it('deletes the sessions of a deleted user (cascade), leaving other users’ sessions', async () => {
    const database = await migratedDatabase();
    const doomed = user();
    const kept = user();
    await database.db.insertInto('users').values([doomed, kept]).execute();
    await database.db
      .insertInto('sessions')
      .values([session(doomed.id), session(doomed.id), session(kept.id)])
      .execute();

    await database.db.deleteFrom('users').where('id', '=', doomed.id).execute();

    const remaining = await database.db.selectFrom('sessions').select('userId').execute();
    expect(remaining).toEqual([{ userId: kept.id }]);
  });

  it('refuses a session for a user that does not exist (foreign keys are enforced)', async () => {
    const database = await migratedDatabase();
    await expect(
      database.db.insertInto('sessions').values(session(uuidv7())).execute(),
    ).rejects.toThrow(/foreign key/i);
  });
});
