/**
 * Table types as the application sees them (camelCase; the CamelCasePlugin maps them to the
 * snake_case columns the migrations create). Timestamps are UTC ISO-8601 strings on both
 * dialects: TEXT in SQLite, `timestamptz` parsed back to ISO text in PostgreSQL.
 */
import type { Generated } from 'kysely';

export type Role = 'admin' | 'operator';

export interface UsersTable {
  id: string;
  username: string;
  email: string | null;
  passwordHash: string;
  role: Role;
  disabledAt: string | null;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface SessionsTable {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditLogTable {
  /** Insertion order, used for the hash chain. */
  seq: Generated<number>;
  id: string;
  at: string;
  actorUserId: string | null;
  actorIp: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** JSON text. */
  details: string | null;
  prevHash: string | null;
  hash: string;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  auditLog: AuditLogTable;
}
