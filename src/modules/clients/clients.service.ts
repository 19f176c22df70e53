import type { Database } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import type { PortraitsService } from '../portraits/portraits.service.js';
import type { ClientsRepo } from './clients.repo.js';
import type {
  ClientDetail,
  ClientListQuery,
  ClientPage,
  ClientPatchBody,
} from './clients.schemas.js';
import { normalisePhone } from './phone.js';

/** Name, phone and e-mail to change; `email: null` clears it. */
type ClientChanges = ClientPatchBody;

/** Only what the service uses, so tests can fake each part. */
export interface Deps {
  database: Pick<Database, 'db' | 'transaction'>;
  clients: Pick<
    ClientsRepo,
    'findById' | 'findByPhone' | 'search' | 'update' | 'lockForUpdate' | 'delete'
  >;
  portraits: Pick<PortraitsRepo, 'lockIdsOfClient' | 'storedFiles'>;
  portraitsService: Pick<PortraitsService, 'listOfClient'>;
  queue: Pick<JobQueue, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
}

const phoneTaken = () =>
  new AppError('phone_taken', 409, 'another client already has this phone number');

/** Client search, edit and delete. */
export function createClientsService(deps: Deps) {
  const { database, clients, portraits, portraitsService, queue, audit, clock } = deps;
  const { db } = database;

  async function list(query: ClientListQuery): Promise<ClientPage> {
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
        await database.transaction(async (trx) => {
          await clients.update(trx, id, changes, clock.now().toISOString());
          await audit.record(
            {
              action: 'client.update',
              ...byActor(actor),
              targetType: 'client',
              targetId: id,
              details: { fields: Object.keys(changes).sort() },
            },
            trx,
          );
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw phoneTaken(); // a concurrent edit won the phone
        throw error;
      }
    }
    return get(id);
  }

  /**
   * Deletes the client with their portraits, videos, markers and orders (database cascade) and,
   * in the same transaction, enqueues the deletion of their stored files.
   */
  async function remove(id: string, actor: Actor): Promise<void> {
    await database.transaction(async (trx) => {
      // Lock the client and its portraits, so a concurrent order or new video either lands
      // before (and its files are collected) or fails on the foreign key.
      if (!(await clients.lockForUpdate(trx, id))) throw notFound('client');
      const portraitIds = await portraits.lockIdsOfClient(trx, id);
      const files = await portraits.storedFiles(trx, portraitIds);
      await clients.delete(trx, id);
      await queue.enqueue(JOB_KINDS.storageCleanup.job(id, files), trx);
      await audit.record(
        {
          action: 'client.delete',
          ...byActor(actor),
          targetType: 'client',
          targetId: id,
          details: { portraitIds, storagePrefixes: files.prefixes.length },
        },
        trx,
      );
    });
  }

  return { list, get, update, remove };
}

export type ClientsService = ReturnType<typeof createClientsService>;
