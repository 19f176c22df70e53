import type { Kysely, Transaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../infra/db/schema.js';
import type { NewJob } from '../../infra/queue/job-queue.js';
import type { AuditEvent } from '../audit/audit.service.js';
import { createClientsService, type Deps } from './clients.service.js';

const ACTOR = { userId: 'admin-1', ip: '198.51.100.4' };
const unused = () => Promise.reject(new Error('not used by remove'));

/**
 * Fakes for `remove`: one client with two portraits and one video. The fake transaction
 * publishes the jobs and audit entries made inside it only when the work succeeds.
 */
function fakes() {
  const trx = { isTransaction: true } as unknown as Transaction<DB>;
  let open = false;
  const fail = { delete: false, audit: false };
  const clientIds = new Set(['client-1']);
  const portraitsOf: Record<string, string[]> = { 'client-1': ['portrait-a', 'portrait-b'] };
  const committed = { jobs: [] as NewJob[], audit: [] as AuditEvent[], deleted: [] as string[] };
  let pending = { jobs: [] as NewJob[], audit: [] as AuditEvent[], deleted: [] as string[] };
  const inTransaction = (executor: unknown, what: string) => {
    if (executor !== trx || !open) throw new Error(`${what} ran outside the transaction`);
  };

  const deps: Deps = {
    database: {
      db: {} as unknown as Kysely<DB>,
      async transaction(work) {
        pending = { jobs: [], audit: [], deleted: [] };
        open = true;
        try {
          const result = await work(trx);
          committed.jobs.push(...pending.jobs);
          committed.audit.push(...pending.audit);
          for (const id of pending.deleted) clientIds.delete(id);
          committed.deleted.push(...pending.deleted);
          return result;
        } finally {
          open = false;
        }
      },
    },
    clients: {
      findById: unused,
      findByPhone: unused,
      search: unused,
      update: unused,
      listUnnormalisedPhones: unused,
      listItems: unused,
      idsByPhone: unused,
      moveOwned: unused,
      async lockForUpdate(db, id) {
        inTransaction(db, 'clients.lockForUpdate');
        return clientIds.has(id);
      },
      async delete(db, id) {
        inTransaction(db, 'clients.delete');
        if (fail.delete) throw new Error('delete failed');
        pending.deleted.push(id);
        return true;
      },
    },
    portraits: {
      async lockIdsOfClient(db, clientId) {
        inTransaction(db, 'portraits.lockIdsOfClient');
        return portraitsOf[clientId] ?? [];
      },
      async storedFiles(db, portraitIds) {
        inTransaction(db, 'portraits.storedFiles');
        return {
          prefixes: [
            ...portraitIds.flatMap((id) => [`portraits/${id}/`, `markers/${id}/`]),
            'videos/video-1/',
          ],
          entityIds: [...portraitIds, 'video-1'],
        };
      },
    },
    portraitsService: { listOfClient: unused },
    queue: {
      async enqueue(job, executor) {
        inTransaction(executor, 'enqueue');
        pending.jobs.push(job);
        return 'job-1';
      },
    },
    audit: {
      async record(event, executor) {
        inTransaction(executor, 'audit.record');
        if (fail.audit) throw new Error('audit insert failed');
        pending.audit.push(event);
      },
    },
    clock: { now: () => new Date('2026-03-01T10:00:00.000Z') },
    phoneRegion: 'RU',
  };
  return { deps, fail, committed };
}

describe('clients service: remove', () => {
  it('deletes the client, enqueues the cleanup of its files and records it, in one transaction', async () => {
    const f = fakes();
    await createClientsService(f.deps).remove('client-1', ACTOR);

    expect(f.committed.deleted).toEqual(['client-1']);
    expect(f.committed.jobs).toEqual([
      expect.objectContaining({
        kind: 'storage.cleanup',
        key: 'storage.cleanup:client-1:1',
        payload: {
          prefixes: [
            'portraits/portrait-a/',
            'markers/portrait-a/',
            'portraits/portrait-b/',
            'markers/portrait-b/',
            'videos/video-1/',
          ],
          entityIds: ['portrait-a', 'portrait-b', 'video-1'],
        },
      }),
    ]);
    expect(f.committed.audit).toEqual([
      {
        action: 'client.delete',
        actorUserId: 'admin-1',
        actorIp: '198.51.100.4',
        targetType: 'client',
        targetId: 'client-1',
        details: { portraitIds: ['portrait-a', 'portrait-b'], storagePrefixes: 5 },
      },
    ]);
  });

  it('answers not found for an unknown client and changes nothing', async () => {
    const f = fakes();
    await expect(createClientsService(f.deps).remove('client-2', ACTOR)).rejects.toMatchObject({
      code: 'not_found',
      httpStatus: 404,
    });
    expect(f.committed).toEqual({ jobs: [], audit: [], deleted: [] });
  });

  it.each([
    ['the delete', 'delete', 'delete failed'],
    ['the audit entry', 'audit', 'audit insert failed'],
  ] as const)('rolls everything back when %s fails', async (_case, step, message) => {
    const f = fakes();
    f.fail[step] = true;

    await expect(createClientsService(f.deps).remove('client-1', ACTOR)).rejects.toThrow(message);
    expect(f.committed).toEqual({ jobs: [], audit: [], deleted: [] });
  });
});
