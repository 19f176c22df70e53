import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeTransactions, serializationFailure } from '../../../test/support/fake-transaction.js';
import {
  FAKE_NOW,
  portraitRow as fakePortraitRow,
  readAll,
} from '../../../test/support/service-fakes.js';
import type { ReceivedUpload } from '../../http/multipart-files.js';
import type { StorageKey } from '../../infra/storage/index.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import { AppError } from '../../shared/errors.js';
import type { PortraitRow } from '../portraits/portraits.repo.js';
import type { VideoRow } from './videos.repo.js';
import { createVideosService, type Deps } from './videos.service.js';

const NOW = FAKE_NOW;
const ACTOR = { userId: 'user-1', ip: '203.0.113.7' };
const PORTRAIT_ID = 'portrait-1';
const VIDEO_BYTES = Buffer.from('video bytes');

const portraitRow = (): PortraitRow => fakePortraitRow(PORTRAIT_ID);

/** A video of the portrait; `minute` orders them by creation time. */
const videoRow = (id: string, minute: number, overrides: Partial<VideoRow> = {}): VideoRow => {
  const at = new Date(NOW.getTime() - (60 - minute) * 60_000).toISOString();
  return {
    id,
    portraitId: PORTRAIT_ID,
    status: 'ready',
    error: null,
    active: null,
    originalKey: `videos/${id}/original.mp4`,
    originalFormat: 'mp4',
    originalSize: 5000,
    playableKey: `videos/${id}/playable.mp4`,
    posterKey: `videos/${id}/poster.jpg`,
    durationSeconds: 10,
    width: 640,
    height: 480,
    sizeBytes: 5000,
    transcoded: 0,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
};

/**
 * The service over in-memory rows and storage; writes inside a transaction are undone when it
 * rolls back. `fail` makes one step throw.
 */
function setup(initial: VideoRow[] = []) {
  const tx = fakeTransactions();
  const portraits = new Map([[PORTRAIT_ID, portraitRow()]]);
  const videos = new Map(initial.map((row) => [row.id, row]));
  const stored = new Map<StorageKey, Buffer>();
  const deleted: StorageKey[] = [];
  const refreshed: string[] = [];
  const fail = { probe: false, insert: false };
  const byNewest = (a: VideoRow, b: VideoRow) =>
    b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
  const ofPortrait = (portraitId: string) =>
    [...videos.values()].filter((v) => v.portraitId === portraitId).sort(byNewest);

  const deps: Deps = {
    database: tx.database,
    clock: { now: () => NOW },
    queue: tx.queue,
    audit: tx.audit,
    storage: {
      async put(key, body) {
        const bytes = await readAll(body);
        stored.set(key, bytes);
        return { key, size: bytes.length, sha256: 'fake' };
      },
      async delete(key) {
        deleted.push(key);
        stored.delete(key);
      },
    },
    media: {
      async probeVideo() {
        if (fail.probe) throw new AppError('unsupported_media', 415, 'not a video');
        return { container: 'mp4', durationSeconds: 12 };
      },
    },
    portraits: {
      findById: async (_db, id) => portraits.get(id),
      async lockForUpdate(db, id) {
        tx.assertInTransaction(db, 'lockForUpdate');
        return portraits.get(id);
      },
      activeVideo: async (_db, portraitId) => ofPortrait(portraitId).find((v) => v.active === 1),
    },
    videos: {
      findById: async (_db, id) => videos.get(id),
      listByPortrait: async (_db, portraitId) => ofPortrait(portraitId),
      hasActive: async (_db, portraitId) => ofPortrait(portraitId).some((v) => v.active === 1),
      latestReady: async (_db, portraitId) =>
        ofPortrait(portraitId).find((v) => v.status === 'ready'),
      async insertUploaded(db, video) {
        tx.assertInTransaction(db, 'insertUploaded');
        if (fail.insert) throw new Error('disk I/O error');
        tx.setIn(
          db,
          videos,
          video.id,
          videoRow(video.id, 60, {
            status: 'processing',
            active: video.active ? 1 : null,
            originalKey: video.originalKey,
            playableKey: null,
            posterKey: null,
          }),
        );
      },
      async setActive(db, portraitId, videoId, now) {
        tx.assertInTransaction(db, 'setActive');
        for (const video of ofPortrait(portraitId)) {
          const active = video.id === videoId ? 1 : null;
          if (video.active !== active)
            tx.setIn(db, videos, video.id, { ...video, active, updatedAt: now });
        }
      },
      async delete(db, id) {
        tx.assertInTransaction(db, 'delete');
        tx.deleteIn(db, videos, id);
      },
    },
    portraitsService: {
      async refreshStatus(portraitId) {
        refreshed.push(portraitId);
        return 'ready';
      },
    },
  };
  return {
    tx,
    fail,
    videos,
    stored,
    deleted,
    refreshed,
    service: createVideosService(deps),
  };
}

describe('videos service: add', () => {
  let dir: string;
  let upload: ReceivedUpload;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'videos-service-'));
    const file = path.join(dir, 'video.mp4');
    await writeFile(file, VIDEO_BYTES);
    upload = {
      fields: {},
      files: { video: { path: file, size: VIDEO_BYTES.length, sha256: 'x', detected: 'mp4' } },
      cleanup: async () => undefined,
    };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the original, inserts the row (active: the first video) and queues its processing', async () => {
    const { tx, service, videos, stored, refreshed } = setup();
    const accepted = await service.add(PORTRAIT_ID, upload, ACTOR);
    expect(accepted).toEqual({ id: accepted.id, status: 'processing', active: true });
    expect(accepted.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(videos.get(accepted.id)?.active).toBe(1);
    expect([...stored.values()]).toEqual([VIDEO_BYTES]);
    expect(tx.jobs).toEqual([JOB_KINDS.video.job(accepted.id)]);
    expect(refreshed).toEqual([PORTRAIT_ID]);
    expect(tx.audits).toEqual([
      {
        action: 'video.add',
        actorUserId: ACTOR.userId,
        actorIp: ACTOR.ip,
        targetType: 'video',
        targetId: accepted.id,
        details: {
          portraitId: PORTRAIT_ID,
          active: true,
          size: VIDEO_BYTES.length,
          container: 'mp4',
        },
      },
    ]);
  });

  it('stores nothing when the probe rejects the upload', async () => {
    const { tx, service, fail, videos, stored, deleted } = setup();
    fail.probe = true;
    await expect(service.add(PORTRAIT_ID, upload, ACTOR)).rejects.toMatchObject({
      code: 'unsupported_media',
    });
    expect(stored.size).toBe(0);
    expect(deleted).toEqual([]);
    expect(videos.size).toBe(0);
    expect(tx.jobs).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('deletes the stored original when the transaction fails after it', async () => {
    const { tx, service, fail, videos, stored, deleted } = setup();
    fail.insert = true;
    await expect(service.add(PORTRAIT_ID, upload, ACTOR)).rejects.toThrow('disk I/O error');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatch(/^videos\/.+\/original\.mp4$/);
    expect(stored.size).toBe(0);
    expect(videos.size).toBe(0);
    expect(tx.jobs).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('is a 404 for an unknown portrait, before anything is stored', async () => {
    const { service, stored } = setup();
    await expect(service.add('nobody', upload, ACTOR)).rejects.toMatchObject({
      code: 'not_found',
      httpStatus: 404,
    });
    expect(stored.size).toBe(0);
  });
});

describe('videos service: activate', () => {
  it('switches the active video and records the previous one', async () => {
    const { tx, service, videos } = setup([
      videoRow('video-a', 1, { active: 1 }),
      videoRow('video-b', 2),
    ]);
    const item = await service.activate('video-b', ACTOR);
    expect(item).toMatchObject({ id: 'video-b', active: true, status: 'ready' });
    expect(videos.get('video-a')?.active).toBeNull();
    expect(videos.get('video-b')?.active).toBe(1);
    expect(tx.audits).toEqual([
      {
        action: 'video.activate',
        actorUserId: ACTOR.userId,
        actorIp: ACTOR.ip,
        targetType: 'video',
        targetId: 'video-b',
        details: { portraitId: PORTRAIT_ID, previousId: 'video-a' },
      },
    ]);
  });

  it('refuses a video that is not ready (409 video_not_ready)', async () => {
    const { tx, service, videos } = setup([
      videoRow('video-a', 1, { active: 1 }),
      videoRow('video-b', 2, { status: 'processing' }),
    ]);
    await expect(service.activate('video-b', ACTOR)).rejects.toMatchObject({
      code: 'video_not_ready',
      httpStatus: 409,
      details: { status: 'processing' },
    });
    expect(videos.get('video-a')?.active).toBe(1);
    expect(tx.audits).toEqual([]);
  });

  it('records nothing when the video is already the active one', async () => {
    const { tx, service } = setup([videoRow('video-a', 1, { active: 1 })]);
    const item = await service.activate('video-a', ACTOR);
    expect(item).toMatchObject({ id: 'video-a', active: true });
    expect(tx.audits).toEqual([]);
  });

  it('is a 404 for an unknown video', async () => {
    const { service } = setup();
    await expect(service.activate('nobody', ACTOR)).rejects.toMatchObject({
      code: 'not_found',
      httpStatus: 404,
    });
  });

  it('succeeds after a serialization failure, retried by retryOnConflict', async () => {
    const { tx, service, videos } = setup([
      videoRow('video-a', 1, { active: 1 }),
      videoRow('video-b', 2),
    ]);
    tx.failNextCommits(serializationFailure());
    const item = await service.activate('video-b', ACTOR);
    expect(item).toMatchObject({ id: 'video-b', active: true });
    expect(tx.transactions).toBe(2);
    expect(videos.get('video-a')?.active).toBeNull();
    // The rolled-back attempt left no entry behind: exactly one, from the attempt that committed.
    expect(tx.audits).toHaveLength(1);
    expect(tx.audits[0]?.details).toEqual({ portraitId: PORTRAIT_ID, previousId: 'video-a' });
  });
});

describe('videos service: remove', () => {
  it('hands the active role over to the latest ready video and queues the cleanup', async () => {
    const { tx, service, videos, refreshed } = setup([
      videoRow('video-a', 1),
      videoRow('video-b', 2),
      videoRow('video-c', 3, { status: 'processing' }),
      videoRow('video-d', 4, { active: 1 }),
    ]);
    await service.remove('video-d', ACTOR);
    expect(videos.has('video-d')).toBe(false);
    expect(videos.get('video-b')?.active).toBe(1);
    expect(videos.get('video-a')?.active).toBeNull();
    expect(videos.get('video-c')?.active).toBeNull();
    expect(refreshed).toEqual([PORTRAIT_ID]);
    expect(tx.jobs).toEqual([
      JOB_KINDS.storageCleanup.job('video-d', {
        prefixes: ['videos/video-d/'],
        entityIds: ['video-d'],
      }),
    ]);
    expect(tx.audits).toEqual([
      {
        action: 'video.delete',
        actorUserId: ACTOR.userId,
        actorIp: ACTOR.ip,
        targetType: 'video',
        targetId: 'video-d',
        details: { portraitId: PORTRAIT_ID, wasActive: true, activatedId: 'video-b' },
      },
    ]);
  });

  it('leaves the active video alone when an inactive one is deleted', async () => {
    const { tx, service, videos } = setup([
      videoRow('video-a', 1, { active: 1 }),
      videoRow('video-b', 2),
    ]);
    await service.remove('video-b', ACTOR);
    expect(videos.get('video-a')?.active).toBe(1);
    expect(tx.audits[0]?.details).toEqual({
      portraitId: PORTRAIT_ID,
      wasActive: false,
      activatedId: null,
    });
  });

  it('is a 404 for an unknown video and enqueues nothing', async () => {
    const { tx, service } = setup();
    await expect(service.remove('nobody', ACTOR)).rejects.toMatchObject({
      code: 'not_found',
      httpStatus: 404,
    });
    expect(tx.jobs).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('succeeds after a serialization failure with one cleanup job and one audit entry', async () => {
    const { tx, service, videos } = setup([
      videoRow('video-a', 1),
      videoRow('video-b', 2, { active: 1 }),
    ]);
    tx.failNextCommits(serializationFailure());
    await service.remove('video-b', ACTOR);
    expect(tx.transactions).toBe(2);
    expect(videos.has('video-b')).toBe(false);
    expect(videos.get('video-a')?.active).toBe(1);
    expect(tx.jobs).toHaveLength(1);
    expect(tx.audits).toHaveLength(1);
  });
});
