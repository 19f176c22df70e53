import type { SqlDialect } from '../database.js';

/** Column types that differ between the dialects; everything else is plain `text`/`integer`. */
export function columnTypes(dialect: SqlDialect) {
  return dialect === 'postgres'
    ? ({ timestamp: 'timestamptz', serial: 'bigserial', bigint: 'bigint' } as const)
    : ({ timestamp: 'text', serial: 'integer', bigint: 'integer' } as const);
}
