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
import type { PhoneRegion } from '../../shared/phone.js';
import type {
  ClientDetail,
  ClientItem,
  ClientListQuery,
  ClientPage,
  ClientPatchBody,
  PhoneCollisions,
} from './clients.schemas.js';
import { INVALID_PHONE_MESSAGE, normalisePhone, phoneSearchDigits } from './phone.js';

/** Name, phone and e-mail to change; `email: null` clears it. */
type ClientChanges = ClientPatchBody;

/** Only what the service uses, so tests can fake each part. */
export interface Deps {
  database: Pick<Database, 'db' | 'transaction'>;
  clients: Pick<
    ClientsRepo,
    | 'findById'
    | 'findByPhone'
    | 'search'
    | 'update'
    | 'lockForUpdate'
    | 'delete'
    | 'listUnnormalisedPhones'
    | 'listItems'
    | 'idsByPhone'
    | 'moveOwned'
  >;
  portraits: Pick<PortraitsRepo, 'lockIdsOfClient' | 'storedFiles'>;
  portraitsService: Pick<PortraitsService, 'listOfClient'>;
  queue: Pick<JobQueue, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  /** `DEFAULT_PHONE_REGION`: how a phone typed without `+` is read. */
  phoneRegion: PhoneRegion;
}

const phoneTaken = () =>
  new AppError('phone_taken', 409, 'another client already has this phone number');

/** Client search, edit and delete. */
export function createClientsService(deps: Deps) {
  const { database, clients, portraits, portraitsService, queue, audit, clock, phoneRegion } = deps;
  const { db } = database;

  async function list(query: ClientListQuery): Promise<ClientPage> {
    const phoneDigits = query.q === undefined ? [] : phoneSearchDigits(query.q, phoneRegion);
    const { rows, total } = await clients.search(db, { ...query, phoneDigits });
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
      notes: client.notes,
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
      const phone = normalisePhone(input.phone, phoneRegion);
      if (phone === null) {
        problems.push({ field: 'phone', message: INVALID_PHONE_MESSAGE });
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

  /**
   * Clients whose phone means the same number as another client's (left so by migration 0013,
   * which does not merge people on its own): per number, the client holding it and the others.
   */
  async function collisions(): Promise<PhoneCollisions> {
    const duplicatesOf = new Map<string, string[]>();
    for (const row of await clients.listUnnormalisedPhones(db)) {
      const number = normalisePhone(row.phone, phoneRegion);
      if (number !== null) duplicatesOf.set(number, [...(duplicatesOf.get(number) ?? []), row.id]);
    }
    const holders = await clients.idsByPhone(db, [...duplicatesOf.keys()]);
    const ids = [...holders.values(), ...[...duplicatesOf.values()].flat()];
    const items = new Map((await clients.listItems(db, ids)).map((item) => [item.id, item]));
    const groups: PhoneCollisions['groups'] = [];
    for (const [number, duplicateIds] of duplicatesOf) {
      const holder = items.get(holders.get(number) ?? '');
      const duplicates = duplicateIds
        .map((id) => items.get(id))
        .filter((item): item is ClientItem => item !== undefined);
      if (holder !== undefined && duplicates.length > 0) {
        groups.push({ phone: number, holder, duplicates });
      }
    }
    return { groups };
  }

  /**
   * Merges client `id` into `intoId`, in one transaction: its portraits and orders (with their
   * videos and markers) move, its e-mail is kept when the other has none, it is deleted, and
   * the kept client gets the E.164 phone when the merged one held it.
   */
  async function merge(id: string, intoId: string, actor: Actor): Promise<ClientDetail> {
    if (id === intoId) {
      throw new AppError('validation_failed', 400, 'a client cannot be merged into itself', [
        { field: 'intoId', message: 'must be another client' },
      ]);
    }
    await database.transaction(async (trx) => {
      // Both rows locked, in a fixed order, so two opposite merges cannot deadlock.
      for (const lockId of [id, intoId].sort()) {
        if (!(await clients.lockForUpdate(trx, lockId))) throw notFound('client');
      }
      const from = await clients.findById(trx, id);
      const into = await clients.findById(trx, intoId);
      if (from === undefined || into === undefined) throw notFound('client');
      const moved = await clients.moveOwned(trx, id, intoId);
      await clients.delete(trx, id);
      const changes: { phone?: string; email?: string; notes?: string } = {};
      if (into.email === null && from.email !== null) changes.email = from.email;
      // The merged client's notes are kept, after the kept client's own.
      if (from.notes !== null) {
        changes.notes = into.notes === null ? from.notes : `${into.notes}\n\n${from.notes}`;
      }
      if (into.phone !== from.phone && normalisePhone(into.phone, phoneRegion) === from.phone) {
        changes.phone = from.phone; // free now that its holder is gone
      }
      if (Object.keys(changes).length > 0) {
        await clients.update(trx, intoId, changes, clock.now().toISOString());
      }
      await audit.record(
        {
          action: 'client.merge',
          ...byActor(actor),
          targetType: 'client',
          targetId: id,
          details: { intoClientId: intoId, ...moved, fields: Object.keys(changes).sort() },
        },
        trx,
      );
    });
    return get(intoId);
  }

  return { list, get, update, remove, collisions, merge };
}

export type ClientsService = ReturnType<typeof createClientsService>;
