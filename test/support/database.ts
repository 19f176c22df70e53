import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';

export type TestBackend = 'sqlite-local' | 'postgres-s3';

export function testBackend(): TestBackend {
  return process.env.VERTEX_TEST_BACKEND === 'postgres-s3' ? 'postgres-s3' : 'sqlite-local';
}

export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  config: DatabaseConfig;
  /** Environment variables selecting this database, for tests that start the CLI. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * An empty database of the backend under test: a fresh SQLite file, or a fresh schema in the
 * PostgreSQL test database (dropped on cleanup). Never shared between test files.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testBackend() === 'sqlite-local') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vertex-db-'));
    const file = path.join(dir, 'test.sqlite');
    return {
      config: { kind: 'sqlite', file },
      env: { DATABASE_URL: `sqlite:${file}` },
      cleanup: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    config: { kind: 'postgres', url: TEST_POSTGRES_URL, schema, poolMax: 5 },
    env: { DATABASE_URL: TEST_POSTGRES_URL, DATABASE_SCHEMA: schema },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs `statement` on the test PostgreSQL server (outside any test database). */
async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface EmptyPostgresDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A new, empty database `vtest_<random>` on the test PostgreSQL server, as an operator creates
 * one to restore into; `drop()` removes it, even with connections left open.
 */
export async function createEmptyPostgresDatabase(): Promise<EmptyPostgresDatabase> {
  const name = `vtest_${randomBytes(5).toString('hex')}`;
  await onServer(`create database "${name}"`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`drop database if exists "${name}" with (force)`),
  };
}
