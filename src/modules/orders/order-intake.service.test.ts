import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Transaction } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_NOW, readAll } from '../../../test/support/service-fakes.js';
import type { DB } from '../../infra/db/schema.js';
import type { NewJob } from '../../infra/queue/job-queue.js';
import type { StorageKey } from '../../infra/storage/index.js';
import { AppError } from '../../shared/errors.js';
import type { ReceivedUpload } from '../../http/multipart-files.js';
import type { AuditEvent } from '../audit/audit.service.js';
import type { ClientRow } from '../clients/clients.repo.js';
import { INVALID_PHONE_MESSAGE } from '../clients/phone.js';
import { createOrderIntake, type Deps } from './order-intake.service.js';

const NOW = FAKE_NOW;
const ACTOR = { userId: 'user-1', ip: '203.0.113.7' };
const PORTRAIT_BYTES = Buffer.from('portrait bytes');
const VIDEO_BYTES = Buffer.from('video bytes');

/**
 * Fakes of every dependency. The fake transaction keeps what is done inside it (jobs, audit
 * entries, rows) apart and publishes it only when the work and the commit succeed, as a real
 * one does; `fail` makes one step throw.
 */
function fakes() {
  const trx = { isTransaction: true } as unknown as Transaction<DB>;
  let open = false;
  const fail = {
    commit: false,
    ordersInsert: false,
    audit: false,
    secondPut: false,
    probeImage: false,
    probeVideo: false,
  };
  const stored = new Map<StorageKey, Buffer>();
  const deleted: StorageKey[] = [];
  const clients = new Map<string, ClientRow>();
  type Pending = { jobs: NewJob[]; audit: AuditEvent[]; rows: string[] };
  const empty = (): Pending => ({ jobs: [], audit: [], rows: [] });
  let pending = empty();
  const committed = empty();
  let transactions = 0;

  /** Records one effect; throws when it runs outside the open fake transaction. */
  const inTransaction = (executor: unknown, what: string) => {
    if (executor !== trx || !open) throw new Error(`${what} ran outside the transaction`);
  };
  let orderCounter = 0;

  const deps: Deps = {
    database: {
      async transaction(work) {
        transactions += 1;
        pending = empty();
        open = true;
        try {
          const result = await work(trx);
          if (fail.commit) throw new Error('commit failed');
          committed.jobs.push(...pending.jobs);
          committed.audit.push(...pending.audit);
          committed.rows.push(...pending.rows);
          return result;
        } finally {
          open = false;
        }
      },
    },
    storage: {
      async put(key, body) {
        if (fail.secondPut && stored.size === 1) throw new Error('storage is full');
        const bytes = await readAll(body);
        stored.set(key, bytes);
        return { key, size: bytes.length, sha256: 'fake' };
      },
      async delete(key) {
        deleted.push(key);
        stored.delete(key);
      },
    },
    clock: { now: () => NOW },
    phoneRegion: 'RU',
    queue: {
      async enqueue(job, executor) {
        inTransaction(executor, 'enqueue');
        pending.jobs.push(job);
        return `job-${pending.jobs.length}`;
      },
    },
    clients: {
      async findOrCreate(db, input, now) {
        inTransaction(db, 'clients.findOrCreate');
        const existing = clients.get(input.phone);
        if (existing !== undefined) return { client: existing, created: false };
        const client: ClientRow = {
          id: `client-${clients.size + 1}`,
          ...input,
          nameFolded: input.name.toLowerCase(),
          notes: null,
          createdAt: now,
          updatedAt: now,
        };
        clients.set(input.phone, client);
        pending.rows.push(`client:${client.id}`);
        return { client, created: true };
      },
    },
    orders: {
      async insert(db, order) {
        inTransaction(db, 'orders.insert');
        if (fail.ordersInsert) throw new Error('orders insert failed');
        orderCounter += 1;
        pending.rows.push(`order:${order.id}`);
        return `VA-${String(orderCounter).padStart(6, '0')}`;
      },
    },
    portraits: {
      async insert(db, row) {
        inTransaction(db, 'portraits.insert');
        pending.rows.push(`portrait:${row.id}:${row.originalKey}`);
      },
      async insertMarker(db, marker) {
        inTransaction(db, 'portraits.insertMarker');
        pending.rows.push(`marker:${marker.portraitId}:${marker.version}`);
      },
    },
    videos: {
      async insertUploaded(db, video) {
        inTransaction(db, 'videos.insertUploaded');
        pending.rows.push(`video:${video.id}:${video.originalKey}`);
      },
    },
    portraitsService: { publicUrl: (slug) => `https://ar.example.com/p/${slug}` },
    audit: {
      async record(event, executor) {
        inTransaction(executor, 'audit.record');
        if (fail.audit) throw new Error('audit insert failed');
        pending.audit.push(event);
      },
    },
    media: {
      async probeImage() {
        if (fail.probeImage) throw new AppError('unsupported_media', 415, 'not an image');
        return { format: 'jpeg', width: 1200, height: 1600 };
      },
      async probeVideo() {
        if (fail.probeVideo) throw new AppError('unsupported_media', 415, 'not a video');
        return { container: 'mp4', durationSeconds: 12 };
      },
    },
  };

  return {
    deps,
    fail,
    stored,
    deleted,
    committed,
    clients,
    transactions: () => transactions,
  };
}

describe('createOrderIntake', () => {
  let dir: string;
  let upload: (fields?: Record<string, string>, files?: string[]) => ReceivedUpload;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'order-intake-'));
    const portraitPath = path.join(dir, 'portrait');
    const videoPath = path.join(dir, 'video');
    await writeFile(portraitPath, PORTRAIT_BYTES);
    await writeFile(videoPath, VIDEO_BYTES);
    const all = {
      portrait: { path: portraitPath, size: PORTRAIT_BYTES.length, sha256: 'a', detected: 'jpeg' },
      video: { path: videoPath, size: VIDEO_BYTES.length, sha256: 'b', detected: 'mp4' },
    };
    upload = (fields = {}, files = ['portrait', 'video']) => ({
      fields: {
        clientName: 'Анна Петрова',
        clientPhone: '+7 (999) 123-45-67',
        clientEmail: 'Anna@Example.com',
        ...fields,
      },
      files: Object.fromEntries(Object.entries(all).filter(([name]) => files.includes(name))),
      cleanup: async () => undefined,
    });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores both originals and creates the order, its jobs and its audit entry in one transaction', async () => {
    const f = fakes();
    const result = await createOrderIntake(f.deps).intake(upload(), ACTOR);

    expect(result).toEqual({
      order: { id: expect.any(String) as string, number: 'VA-000001', status: 'processing' },
      client: { id: 'client-1', name: 'Анна Петрова', phone: '+79991234567', created: true },
      portrait: {
        id: expect.any(String) as string,
        slug: expect.any(String) as string,
        status: 'processing',
        publicUrl: `https://ar.example.com/p/${result.portrait.slug}`,
      },
      video: { id: expect.any(String) as string, status: 'processing', active: true },
    });
    const portraitId = result.portrait.id;
    const videoId = result.video.id;
    expect(f.clients.get('+79991234567')?.email).toBe('anna@example.com');

    const originalKey = `portraits/${portraitId}/original.jpg`;
    const videoKey = `videos/${videoId}/original.mp4`;
    expect([...f.stored.keys()].sort()).toEqual([originalKey, videoKey].sort());
    expect(f.stored.get(originalKey as StorageKey)).toEqual(PORTRAIT_BYTES);
    expect(f.stored.get(videoKey as StorageKey)).toEqual(VIDEO_BYTES);
    expect(f.deleted).toEqual([]);

    expect(f.transactions()).toBe(1);
    expect(f.committed.rows).toEqual([
      'client:client-1',
      `portrait:${portraitId}:${originalKey}`,
      `marker:${portraitId}:1`,
      `video:${videoId}:${videoKey}`,
      `order:${result.order.id}`,
    ]);
    expect(f.committed.jobs.map((job) => job.key)).toEqual([
      `portrait.images:${portraitId}:1`,
      `marker.generate:${portraitId}:1`,
      `video.process:${videoId}:1`,
    ]);
    expect(f.committed.audit).toEqual([
      {
        action: 'order.create',
        actorUserId: 'user-1',
        actorIp: '203.0.113.7',
        targetType: 'order',
        targetId: result.order.id,
        details: { number: 'VA-000001', portraitId, videoId, clientId: 'client-1' },
      },
    ]);
  });

  it('finds an existing client by the normalised phone', async () => {
    const f = fakes();
    const intake = createOrderIntake(f.deps);
    const first = await intake.intake(upload(), ACTOR);
    const second = await intake.intake(
      upload({ clientName: 'Анна П.', clientPhone: '+7 999 1234567' }),
      ACTOR,
    );

    expect(first.client.created).toBe(true);
    // The stored client is kept as it is: the name typed in the second order does not change it.
    expect(second.client).toEqual({
      id: first.client.id,
      name: 'Анна Петрова',
      phone: '+79991234567',
      created: false,
    });
    expect(second.order.number).toBe('VA-000002');
    expect(f.committed.rows.filter((row) => row.startsWith('client:'))).toEqual([
      'client:client-1',
    ]);
    expect(f.committed.audit.map((event) => event.details?.clientId)).toEqual([
      'client-1',
      'client-1',
    ]);
  });

  it.each([
    ['no portrait file', {}, ['video'], []],
    ['no video file', {}, ['portrait'], []],
    [
      'an empty name',
      { clientName: '' },
      undefined,
      [{ field: 'clientName', message: 'required' }],
    ],
    [
      'a phone that is not one',
      { clientPhone: '12-34' },
      undefined,
      [{ field: 'clientPhone', message: INVALID_PHONE_MESSAGE }],
    ],
    [
      'an e-mail that is not one',
      { clientEmail: 'anna@' },
      undefined,
      [{ field: 'clientEmail', message: 'not an e-mail address' }],
    ],
  ])(
    'refuses %s before storing anything',
    async (_case, fields: Record<string, string>, files: string[] | undefined, problems) => {
      const f = fakes();
      const error = await createOrderIntake(f.deps)
        .intake(upload(fields, files), ACTOR)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'validation_failed', httpStatus: 400 });
      if (problems.length > 0) expect((error as AppError).details).toEqual(problems);
      expect(f.stored.size).toBe(0);
      expect(f.deleted).toEqual([]);
      expect(f.transactions()).toBe(0);
    },
  );

  it.each(['probeImage', 'probeVideo'] as const)(
    'stores nothing when %s refuses the file',
    async (probe) => {
      const f = fakes();
      f.fail[probe] = true;

      await expect(createOrderIntake(f.deps).intake(upload(), ACTOR)).rejects.toMatchObject({
        code: 'unsupported_media',
      });
      expect(f.stored.size).toBe(0);
      expect(f.deleted).toEqual([]);
      expect(f.transactions()).toBe(0);
    },
  );

  it.each([
    ['the order insert', 'ordersInsert', 'orders insert failed'],
    ['the audit entry', 'audit', 'audit insert failed'],
    ['the commit', 'commit', 'commit failed'],
  ] as const)(
    'deletes both stored originals and rethrows when %s fails',
    async (_case, step, message) => {
      const f = fakes();
      f.fail[step] = true;

      await expect(createOrderIntake(f.deps).intake(upload(), ACTOR)).rejects.toThrow(message);
      expect(f.deleted).toHaveLength(2);
      expect(f.deleted.some((key) => key.startsWith('portraits/'))).toBe(true);
      expect(f.deleted.some((key) => key.startsWith('videos/'))).toBe(true);
      expect(f.stored.size).toBe(0);
      // Nothing of the transaction was committed: no row, no job, no audit entry.
      expect(f.committed).toEqual({ jobs: [], audit: [], rows: [] });
    },
  );

  it('deletes the first original when storing the second fails', async () => {
    const f = fakes();
    f.fail.secondPut = true;

    await expect(createOrderIntake(f.deps).intake(upload(), ACTOR)).rejects.toThrow(
      'storage is full',
    );
    expect(f.stored.size).toBe(0);
    expect(f.deleted.some((key) => key.startsWith('portraits/'))).toBe(true);
    expect(f.transactions()).toBe(0);
  });
});
