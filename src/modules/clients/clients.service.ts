import type { Database } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import type { Page, PortraitSummary, PortraitsService } from '../portraits/portraits.service.js';
import type { ClientListRow, ClientsRepo } from './clients.repo.js';
import { normalisePhone } from './phone.js';

export type ClientItem = ClientListRow;

export interface ClientDetail extends ClientItem {
  updatedAt: string;
  portraits: PortraitSummary[];
}

export interface ClientChanges {
  name?: string;
  phone?: string;
  /** `null` clears it. */
  email?: string | null;
}

/** Who does it, for the audit log. */
export interface Actor {
  userId: string;
  ip: string | null;
}

interface Deps {
  database: Database;
  clients: ClientsRepo;
  portraits: PortraitsRepo;
  portraitsService: PortraitsService;
  queue: JobQueue;
  audit: AuditService;
  clock: Clock;
}

const phoneTaken = () =>
  new AppError('phone_taken', 409, 'another client already has this phone number');

/** Client search, edit and delete (R-CORE-1). */
export function createClientsService(deps: Deps) {
  const { database, clients, portraits, portraitsService, queue, audit, clock } = deps;
  const { db } = database;

  async function list(query: {
    q?: string;
    limit: number;
    offset: number;
  }): Promise<Page<ClientItem>> {
    const { rows, total } = await clients.search(db, query);
    return { items: rows, total, limit: query.limit, offset: query.offset };
  }

  async function get(id: string): Promise<ClientDetail> {
    const client = await clients.findById(db, id);
    if (client === undefined) throw notFound('client');
    const items = await portraitsService.listOfClient(id);
    return {
      id: client.id,
      name: client.name,
      phone: client.phone,
      email: client.email,
      createdAt: client.createdAt,
      updatedAt: client.updatedAt,
      portraitCount: items.length,
      portraits: items,
    };
  }

  async function update(id: string, input: ClientChanges, actor: Actor): Promise<ClientDetail> {
    const client = await clients.findById(db, id);
    if (client === undefined) throw notFound('client');
    const changes: ClientChanges = {};
    const problems: { field: string; message: string }[] = [];
    if (input.name === undefined && input.phone === undefined && input.email === undefined) {
      // Unknown properties are stripped by the schema: say so rather than answer a no-op.
      problems.push({ field: 'name', message: 'give at least one of name, phone, email' });
    }
    if (input.name !== undefined) {
      const name = input.name.trim();
      if (name === '') problems.push({ field: 'name', message: 'must not be empty' });
      else if (name !== client.name) changes.name = name;
    }
    if (input.phone !== undefined) {
      const phone = normalisePhone(input.phone);
      if (phone === null) {
        problems.push({ field: 'phone', message: 'must be a phone number of 6 to 15 digits' });
      } else if (phone !== client.phone) {
        changes.phone = phone;
      }
    }
    if (input.email !== undefined) {
      const email = input.email === null || input.email === '' ? null : input.email.toLowerCase();
      if (email !== client.email) changes.email = email;
    }
    if (problems.length > 0) {
      throw new AppError('validation_failed', 400, 'some fields are invalid', problems);
    }
    if (Object.keys(changes).length > 0) {
      if (changes.phone !== undefined) {
        const owner = await clients.findByPhone(db, changes.phone);
        if (owner !== undefined && owner.id !== id) throw phoneTaken();
      }
      try {
        await clients.update(db, id, changes, clock.now().toISOString());
      } catch (error) {
        if (isUniqueViolation(error)) throw phoneTaken(); // a concurrent edit won the phone
        throw error;
      }
      await audit.record({
        action: 'client.update',
        actorUserId: actor.userId,
        actorIp: actor.ip,
        targetType: 'client',
        targetId: id,
        details: { fields: Object.keys(changes).sort() },
      });
    }
    return get(id);
  }

  /**
   * Deletes the client with their portraits, videos, markers and orders (database cascade) and,
   * in the same transaction, enqueues the deletion of their stored files.
   */
  async function remove(id: string, actor: Actor): Promise<void> {
    const result = await db.transaction().execute(async (trx) => {
      // PostgreSQL: lock the client and its portraits, so a concurrent order or new video
      // either lands before (and its files are collected) or fails on the foreign key.
      let clientQuery = trx.selectFrom('clients').select('id').where('id', '=', id);
      let portraitsQuery = trx.selectFrom('portraits').select('id').where('clientId', '=', id);
      if (database.dialect === 'postgres') {
        clientQuery = clientQuery.forUpdate();
        portraitsQuery = portraitsQuery.forUpdate();
      }
      if ((await clientQuery.executeTakeFirst()) === undefined) throw notFound('client');
      const portraitIds = (await portraitsQuery.orderBy('id').execute()).map((p) => p.id);
      const prefixes = await portraits.storagePrefixes(trx, portraitIds);
      await clients.delete(trx, id);
      await queue.enqueue(JOB_KINDS.storageCleanup.job(id, prefixes), trx);
      return { portraitIds, prefixes };
    });
    await audit.record({
      action: 'client.delete',
      actorUserId: actor.userId,
      actorIp: actor.ip,
      targetType: 'client',
      targetId: id,
      details: { portraitIds: result.portraitIds, storagePrefixes: result.prefixes.length },
    });
  }

  return { list, get, update, remove };
}

export type ClientsService = ReturnType<typeof createClientsService>;
