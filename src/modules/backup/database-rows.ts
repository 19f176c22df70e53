import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../../infra/db/database.js';

/**
 * The portable copy of the database: one JSON line per row, `{"table":…,"row":{…}}`, with the
 * values as the product reads them on either dialect (timestamps as ISO strings, integers as
 * numbers). It is what makes a backup restorable into the other dialect; the native copy
 * (`database`) is for restoring by hand with sqlite3/pg_restore.
 */
export interface RowLine {
  table: string;
  row: Record<string, RowValue>;
}
export type RowValue = string | number | null;

/** Tables the migrator keeps for itself: recreated by migrating, never copied. */
const MIGRATOR_TABLES = ['kysely_migration', 'kysely_migration_lock'];

// The executor is untyped on purpose: this module walks every table generically.
type AnyDb = Kysely<unknown>;

export async function appTables(db: AnyDb, dialect: SqlDialect): Promise<string[]> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
          db,
        )
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
          db,
        );
  return rows.map((r) => r.name).filter((name) => !MIGRATOR_TABLES.includes(name));
}

/** Tables ordered parents first (foreign keys), so rows load without violating a reference. */
export async function tablesInLoadOrder(db: AnyDb, dialect: SqlDialect): Promise<string[]> {
  const tables = await appTables(db, dialect);
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  if (dialect === 'sqlite') {
    for (const table of tables) {
      const { rows } = await sql<{
        parent: string;
      }>`select "table" as parent from pragma_foreign_key_list(${table})`.execute(db);
      for (const r of rows) if (r.parent !== table) parents.get(table)?.add(r.parent);
    }
  } else {
    const { rows } = await sql<{ child: string; parent: string }>`
      select c.relname as child, p.relname as parent
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = current_schema()`.execute(db);
    for (const r of rows) if (r.parent !== r.child) parents.get(r.child)?.add(r.parent);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p)),
    );
    if (ready.length === 0) throw new Error('foreign keys form a cycle');
    for (const t of ready) {
      placed.add(t);
      ordered.push(t);
    }
  }
  return ordered;
}

function portable(table: string, row: Record<string, unknown>): RowLine {
  for (const [column, value] of Object.entries(row)) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`${table}.${column}: value of type ${typeof value} has no portable form`);
    }
  }
  return { table, row: row as Record<string, RowValue> };
}

const line = (r: RowLine) => `${JSON.stringify(r)}\n`;

/**
 * Every row through `db`, table by table in load order (parents first), so that loading the
 * lines in order never breaks a foreign key. For PostgreSQL `db` is the snapshot transaction.
 */
export function dumpRows(db: AnyDb, dialect: SqlDialect): Readable {
  async function* rows(): AsyncGenerator<string> {
    for (const table of await tablesInLoadOrder(db, dialect)) {
      const { rows: found } = await sql<
        Record<string, unknown>
      >`select * from ${sql.id(table)}`.execute(db);
      for (const row of found) yield line(portable(table, row));
    }
  }
  return Readable.from(rows());
}

/** SQLite accepts up to 32 766 bound values per statement; stay well below. */
const MAX_VALUES = 10_000;
const MAX_ROWS = 500;

/** Inserts the rows of a portable copy into `db` (tables must exist); returns rows per table. */
export async function loadRows(db: AnyDb, lines: Readable): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let batch: RowLine[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const table = batch[0]?.table ?? '';
    const columns = Object.keys(batch[0]?.row ?? {});
    await sql`insert into ${sql.id(table)} (${sql.join(columns.map((c) => sql.id(c)))}) values ${sql.join(
      batch.map((r) => sql`(${sql.join(columns.map((c) => r.row[c] ?? null))})`),
    )}`.execute(db);
    counts[table] = (counts[table] ?? 0) + batch.length;
    batch = [];
  };
  for await (const text of createInterface({ input: lines, crlfDelay: Infinity })) {
    if (text === '') continue;
    const parsed = JSON.parse(text) as RowLine;
    const first = batch[0];
    const columns = Object.keys(parsed.row).length || 1;
    if (
      first !== undefined &&
      (first.table !== parsed.table ||
        batch.length >= Math.min(MAX_ROWS, Math.floor(MAX_VALUES / columns)) ||
        Object.keys(first.row).join() !== Object.keys(parsed.row).join())
    ) {
      await flush();
    }
    batch.push(parsed);
  }
  await flush();
  return counts;
}

/** PostgreSQL: moves every serial sequence past the restored ids. */
export async function resetSequences(db: AnyDb, dialect: SqlDialect): Promise<void> {
  if (dialect !== 'postgres') return;
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as "table", column_name as "column" from information_schema.columns
    where table_schema = current_schema() and column_default like 'nextval(%'`.execute(db);
  for (const { table, column } of rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.id(column)}) from ${sql.id(table)}), 0) + 1, false)`.execute(
      db,
    );
  }
}
