import type { Database } from '../../infra/db/database.js';
import type { Role } from '../../infra/db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UsersRepo } from '../users/users.repo.js';
import type { SessionRow, SessionsRepo } from './sessions.repo.js';
import type { SessionList } from './sessions.schemas.js';

/** A logged-in person acting on sessions: who, with which role, from where, in which session. */
export interface SessionActor {
  userId: string;
  role: Role;
  ip: string | null;
  sessionId: string;
}

interface Deps {
  database: Database;
  sessions: SessionsRepo;
  users: UsersRepo;
  audit: AuditService;
  clock: Clock;
  settings: { sessionTimeoutMinutes: number };
}

const sessionNotFound = () => new AppError('not_found', 404, 'session not found');

/**
 * Seeing and closing sessions: one's own (any user) and anyone's (admins). A closed session
 * answers 401 on its next request (the guard reads the row every time). Each closing commits with
 * its audit entry.
 */
export function createSessionsService({ database, sessions, users, audit, clock, settings }: Deps) {
  const { db } = database;
  const idleMs = settings.sessionTimeoutMinutes * 60_000;

  async function listOf(userId: string, currentSessionId: string | null): Promise<SessionList> {
    const now = clock.now();
    const rows = await sessions.listOpenForUser(db, userId, now.toISOString());
    // Idle ones are dead too; the guard revokes them when they next show up.
    const live = rows.filter((row) => Date.parse(row.lastSeenAt) + idleMs > now.getTime());
    return {
      items: live.map((row) => ({
        id: row.id,
        userAgent: row.userAgent,
        ip: row.ip,
        createdAt: row.createdAt,
        lastSeenAt: row.lastSeenAt,
        expiresAt: row.expiresAt,
        current: row.id === currentSessionId,
      })),
    };
  }

  const listOwn = (actor: SessionActor) => listOf(actor.userId, actor.sessionId);

  async function listForUser(actor: SessionActor, userId: string): Promise<SessionList> {
    if ((await users.findById(db, userId)) === undefined) {
      throw new AppError('not_found', 404, 'user not found');
    }
    return listOf(userId, actor.sessionId);
  }

  async function close(actor: SessionActor, session: SessionRow): Promise<void> {
    await database.transaction(async (trx) => {
      if (!(await sessions.revoke(trx, session.id, clock.now().toISOString()))) return;
      await audit.record(
        {
          action: 'auth.session_revoke',
          actorUserId: actor.userId,
          actorIp: actor.ip,
          targetType: 'session',
          targetId: session.id,
          details: { userId: session.userId },
        },
        trx,
      );
    });
  }

  /** Closes one's own session; an admin may close anyone's. Another's is a 404 to an operator. */
  async function revoke(actor: SessionActor, sessionId: string): Promise<void> {
    const session = await sessions.findById(db, sessionId);
    if (
      session === undefined ||
      session.revokedAt !== null ||
      (session.userId !== actor.userId && actor.role !== 'admin')
    ) {
      throw sessionNotFound();
    }
    await close(actor, session);
  }

  /** An admin closes a session of the named user (404 when it is not theirs). */
  async function revokeOfUser(actor: SessionActor, userId: string, sessionId: string) {
    const session = await sessions.findById(db, sessionId);
    if (session === undefined || session.userId !== userId || session.revokedAt !== null) {
      throw sessionNotFound();
    }
    await close(actor, session);
  }

  /** "Sign out everywhere else": every session of the actor but the one making the request. */
  async function revokeOthers(actor: SessionActor): Promise<{ revoked: number }> {
    return database.transaction(async (trx) => {
      const revoked = await sessions.revokeOthersOfUser(
        trx,
        actor.userId,
        actor.sessionId,
        clock.now().toISOString(),
      );
      await audit.record(
        {
          action: 'auth.sessions_revoke_others',
          actorUserId: actor.userId,
          actorIp: actor.ip,
          targetType: 'user',
          targetId: actor.userId,
          details: { revoked },
        },
        trx,
      );
      return { revoked };
    });
  }

  return { listOwn, listForUser, revoke, revokeOfUser, revokeOthers };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
