import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/infra/db/errors.js';
import { createJobRunner } from '../../src/infra/queue/job-runner.js';
import { storageKey } from '../../src/infra/storage/index.js';
import { JOB_KINDS, runnableKinds } from '../../src/jobs/job-kinds.js';
import type { PortraitDetail } from '../../src/modules/portraits/portraits.schemas.js';
import { uuidv7 } from '../../src/shared/ids.js';
import { audioOnlyFixture, htmlNamedMp4, webmFixture } from '../fixtures/media.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { multipartBody, type FilePart } from '../support/multipart.js';
import { domainRowCounts, fixtureParts, placeOrder, storedKeys } from '../support/studio.js';

interface VideoItem {
  id: string;
  portraitId: string;
  status: 'processing' | 'ready' | 'failed';
  active: boolean;
  error?: string;
  durationSeconds: number | null;
  posterUrl: string | null;
  videoUrl: string | null;
  createdAt: string;
}

const file = async (p: string, contentType: string): Promise<FilePart> => ({
  content: await readFile(p),
  filename: path.basename(p),
  contentType,
});

describe('videos of a portrait', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let admin: LoggedIn;
  let phone = 1000;
  let runJobs: () => Promise<void>;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    admin = await t.loginAs('admin');

    // Only video processing and storage cleanup run here: the marker job is heavy and not
    // what this file is about. The runner is started for a test and stopped once it is idle.
    const kinds = [JOB_KINDS.video.kind, JOB_KINDS.storageCleanup.kind];
    const runner = createJobRunner({
      queue: t.ctx.queue,
      logger: t.ctx.logger,
      pollMs: 50,
      kinds: runnableKinds(t.config.jobs, kinds),
      handlers: t.ctx.jobHandlers,
    });
    runJobs = async () => {
      runner.start();
      try {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const pending = await t.ctx.database.db
            .selectFrom('jobs')
            .select('key')
            .where('kind', 'in', kinds)
            .where('status', 'in', ['queued', 'running'])
            .execute();
          if (pending.length === 0 && runner.runningCount() === 0) return;
          if (Date.now() > deadline)
            throw new Error(`jobs still pending: ${JSON.stringify(pending)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await runner.stop();
      }
    };
  });
  afterAll(() => t.close());

  /** A new order: a portrait with its first (active, processing) video. */
  async function newPortrait(): Promise<{ id: string; slug: string; videoId: string }> {
    const ids = await placeOrder(t, operator, {
      clientName: 'Video Client',
      clientPhone: `+7 999 000 ${++phone}`,
    });
    return { id: ids.portraitId, slug: ids.slug, videoId: ids.videoId };
  }

  async function uploadVideo(portraitId: string, part?: FilePart, session = operator) {
    const body = multipartBody({}, { video: part ?? (await fixtureParts()).video });
    return t.app.inject({
      method: 'POST',
      url: `/api/portraits/${portraitId}/videos`,
      headers: { ...body.headers, ...bearer(session) },
      payload: body.payload,
    });
  }

  async function addVideo(portraitId: string): Promise<string> {
    const response = await uploadVideo(portraitId);
    expect(response.statusCode, response.body).toBe(202);
    return response.json<{ id: string }>().id;
  }

  const listVideos = async (portraitId: string): Promise<VideoItem[]> => {
    const response = await t.app.inject({
      url: `/api/portraits/${portraitId}/videos`,
      headers: bearer(operator),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: VideoItem[] }>().items;
  };

  const activate = (videoId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/videos/${videoId}/activate`,
      headers: bearer(operator),
    });

  // Deletes are admin-only (README); operators replace a video by activating another.
  const remove = (videoId: string, session: LoggedIn = admin) =>
    t.app.inject({ method: 'DELETE', url: `/api/videos/${videoId}`, headers: bearer(session) });

  const portraitDetail = async (id: string): Promise<PortraitDetail> => {
    const response = await t.app.inject({ url: `/api/portraits/${id}`, headers: bearer(operator) });
    expect(response.statusCode).toBe(200);
    return response.json<PortraitDetail>();
  };

  const activeIds = async (portraitId: string): Promise<string[]> =>
    (
      await t.ctx.database.db
        .selectFrom('videos')
        .select('id')
        .where('portraitId', '=', portraitId)
        .where('active', '=', 1)
        .execute()
    ).map((row) => row.id);

  const auditActions = async (targetId: string): Promise<string[]> =>
    (
      await t.ctx.database.db
        .selectFrom('auditLog')
        .select('action')
        .where('targetId', '=', targetId)
        .orderBy('seq')
        .execute()
    ).map((row) => row.action);

  /** A ready video row made directly in the database (for rules, not processing). */
  async function insertReadyVideo(portraitId: string, createdAt: Date): Promise<string> {
    const id = uuidv7(createdAt.getTime());
    const at = createdAt.toISOString();
    await t.ctx.database.db
      .insertInto('videos')
      .values({
        id,
        portraitId,
        status: 'ready',
        error: null,
        active: null,
        originalKey: `videos/${id}/original.mp4`,
        originalFormat: 'mp4',
        originalSize: 1000,
        playableKey: `videos/${id}/playable.mp4`,
        posterKey: `videos/${id}/poster.jpg`,
        durationSeconds: 4,
        width: 640,
        height: 360,
        sizeBytes: 1000,
        transcoded: 0,
        createdAt: at,
        updatedAt: at,
      })
      .execute();
    return id;
  }

  it('adds a video: 202, a stored original, an inactive processing row and its job', async () => {
    const portrait = await newPortrait();
    const before = await portraitDetail(portrait.id);

    const response = await uploadVideo(portrait.id);
    expect(response.statusCode, response.body).toBe(202);
    const body = response.json<{ id: string; status: string; active: boolean }>();
    // The portrait already has an active video (the order's): the new one waits.
    expect(body).toEqual({ id: body.id, status: 'processing', active: false });

    const row = await t.ctx.database.db
      .selectFrom('videos')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      portraitId: portrait.id,
      status: 'processing',
      active: null,
      originalKey: `videos/${body.id}/original.mp4`,
      originalFormat: 'mp4',
    });
    const stored = await t.ctx.storage.head(storageKey('videos', body.id, 'original.mp4'));
    expect(stored?.size).toBe((await fixtureParts()).video.content.length);
    expect(await t.ctx.queue.findByKey(`video.process:${body.id}:1`)).toMatchObject({
      kind: 'video.process',
      status: 'queued',
    });
    expect(await activeIds(portrait.id)).toEqual([portrait.videoId]);
    expect(await auditActions(body.id)).toEqual(['video.add']);

    // The public link does not change.
    const after = await portraitDetail(portrait.id);
    expect(after.publicUrl).toBe(before.publicUrl);
    expect(after.activeVideo?.id).toBe(portrait.videoId);
  });

  describe('rejects bad uploads and leaves nothing behind', () => {
    let portrait: { id: string };
    let rows: Record<string, number>;
    let keys: string[];
    const uploadsLeft = async () =>
      (await readdir(path.join(t.config.dataDir, 'tmp', 'uploads')).catch(() => [])).length;

    beforeAll(async () => {
      portrait = await newPortrait();
      rows = await domainRowCounts(t);
      keys = await storedKeys(t);
    });

    const cases: [string, () => Promise<FilePart>, number, string][] = [
      [
        'an HTML page named .mp4',
        async () => file(await htmlNamedMp4(), 'video/mp4'),
        415,
        'unsupported_media',
      ],
      [
        'an audio-only file',
        async () => file(await audioOnlyFixture(), 'video/mp4'),
        422,
        'video_no_video_stream',
      ],
    ];
    for (const [name, part, status, code] of cases) {
      it(name, async () => {
        const response = await uploadVideo(portrait.id, await part());
        expect(response.statusCode, response.body).toBe(status);
        expect(response.json()).toMatchObject({ error: { code } });
        expect(await domainRowCounts(t)).toEqual(rows);
        expect(await storedKeys(t)).toEqual(keys);
        expect(await uploadsLeft()).toBe(0);
      });
    }

    it('a missing or extra file field, a JSON body, an unknown portrait, no login', async () => {
      const parts = await fixtureParts();
      const wrongField = multipartBody({}, { portrait: parts.portrait });
      const extra = multipartBody({ note: 'x' }, { video: parts.video });
      const empty = multipartBody({}, {});
      for (const body of [wrongField, extra, empty]) {
        const response = await t.app.inject({
          method: 'POST',
          url: `/api/portraits/${portrait.id}/videos`,
          headers: { ...body.headers, ...bearer(operator) },
          payload: body.payload,
        });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
      }
      const json = await t.app.inject({
        method: 'POST',
        url: `/api/portraits/${portrait.id}/videos`,
        headers: bearer(operator),
        payload: { video: 'x' },
      });
      expect(json.statusCode).toBe(415);

      const unknown = await uploadVideo(uuidv7());
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });

      const anonymous = await t.app.inject({
        method: 'POST',
        url: `/api/portraits/${portrait.id}/videos`,
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        payload: 'garbage',
      });
      expect(anonymous.statusCode).toBe(401);

      expect(await domainRowCounts(t)).toEqual(rows);
      expect(await storedKeys(t)).toEqual(keys);
      expect(await uploadsLeft()).toBe(0);
    });
  });

  it('lists videos newest first; 404 for an unknown portrait; 401 without login', async () => {
    const portrait = await newPortrait();
    const second = await addVideo(portrait.id);
    const third = await addVideo(portrait.id);
    const items = await listVideos(portrait.id);
    expect(items.map((v) => v.id)).toEqual([third, second, portrait.videoId]);
    expect(items.map((v) => v.active)).toEqual([false, false, true]);
    expect(items[0]).toEqual({
      id: third,
      portraitId: portrait.id,
      status: 'processing',
      active: false,
      durationSeconds: expect.closeTo(4, 0) as number,
      posterUrl: null,
      videoUrl: null,
      createdAt: expect.any(String) as string,
    });

    const unknown = await t.app.inject({
      url: `/api/portraits/${uuidv7()}/videos`,
      headers: bearer(operator),
    });
    expect(unknown.statusCode).toBe(404);
    const anonymous = await t.app.inject({ url: `/api/portraits/${portrait.id}/videos` });
    expect(anonymous.statusCode).toBe(401);
  });

  it(
    'activates only a ready video, switching the active one in one step',
    { timeout: 180_000 },
    async () => {
      const portrait = await newPortrait();
      const webm = await file(await webmFixture(), 'video/webm');
      const added = await uploadVideo(portrait.id, webm);
      expect(added.statusCode, added.body).toBe(202);
      const second = added.json<{ id: string }>().id;

      const early = await activate(second);
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({
        error: { code: 'video_not_ready', details: { status: 'processing' } },
      });
      expect(await activeIds(portrait.id)).toEqual([portrait.videoId]);

      await runJobs();
      const [newest] = await listVideos(portrait.id);
      expect(newest).toMatchObject({
        id: second,
        status: 'ready',
        active: false,
        videoUrl: `/media/videos/${second}/video.mp4`,
        posterUrl: `/media/videos/${second}/poster.jpg`,
      });

      const response = await activate(second);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ id: second, status: 'ready', active: true });
      expect(await activeIds(portrait.id)).toEqual([second]);
      const detail = await portraitDetail(portrait.id);
      expect(detail.activeVideo).toMatchObject({ id: second, status: 'ready' });
      expect(await auditActions(second)).toEqual(['video.add', 'video.activate']);

      // Activating the active video again changes nothing.
      const again = await activate(second);
      expect(again.statusCode).toBe(200);
      expect(await auditActions(second)).toEqual(['video.add', 'video.activate']);

      const unknown = await activate(uuidv7());
      expect(unknown.statusCode).toBe(404);
      const anonymous = await t.app.inject({
        method: 'POST',
        url: `/api/videos/${second}/activate`,
      });
      expect(anonymous.statusCode).toBe(401);
    },
  );

  it('keeps exactly one active video under concurrent activations, enforced by the database', async () => {
    const portrait = await newPortrait();
    const base = t.clock.now().getTime();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await insertReadyVideo(portrait.id, new Date(base + i)));

    const responses = await Promise.all(ids.map((id) => activate(id)));
    for (const response of responses) expect(response.statusCode, response.body).toBe(200);
    const active = await activeIds(portrait.id);
    expect(active).toHaveLength(1);
    expect(ids).toContain(active[0]);
    const items = await listVideos(portrait.id);
    expect(items.filter((v) => v.active).map((v) => v.id)).toEqual(active);

    // The database itself refuses a second active video, by update or by insert.
    const other = ids.find((id) => id !== active[0]) ?? '';
    const { db } = t.ctx.database;
    const update = db.updateTable('videos').set({ active: 1 }).where('id', '=', other).execute();
    await expect(update).rejects.toSatisfy(isUniqueViolation);
    await expect(
      db
        .insertInto('videos')
        .values({
          id: uuidv7(),
          portraitId: portrait.id,
          status: 'ready',
          error: null,
          active: 1,
          originalKey: 'videos/x/original.mp4',
          originalFormat: 'mp4',
          originalSize: 1,
          playableKey: null,
          posterKey: null,
          durationSeconds: null,
          width: null,
          height: null,
          sizeBytes: null,
          transcoded: null,
          createdAt: t.clock.now().toISOString(),
          updatedAt: t.clock.now().toISOString(),
        })
        .execute(),
    ).rejects.toSatisfy(isUniqueViolation);
    expect(await activeIds(portrait.id)).toEqual(active);
  });

  it(
    'deleting the active video activates the most recent remaining ready one and removes its files',
    { timeout: 180_000 },
    async () => {
      const portrait = await newPortrait();
      const older = await addVideo(portrait.id);
      await runJobs(); // the order's video and `older` are ready now
      const newer = await addVideo(portrait.id); // stays processing: never a successor
      expect(await activeIds(portrait.id)).toEqual([portrait.videoId]);
      const keysOf = async (id: string) => {
        const keys: string[] = [];
        for await (const item of t.ctx.storage.list(`videos/${id}/`)) keys.push(item.key);
        return keys.sort();
      };
      expect(await keysOf(portrait.videoId)).toEqual(
        ['original.mp4', 'playable.mp4', 'poster.jpg'].map(
          (f) => `videos/${portrait.videoId}/${f}`,
        ),
      );

      const response = await remove(portrait.videoId);
      expect(response.statusCode, response.body).toBe(204);
      expect(await activeIds(portrait.id)).toEqual([older]);
      expect((await portraitDetail(portrait.id)).activeVideo?.id).toBe(older);
      expect((await listVideos(portrait.id)).map((v) => v.id)).toEqual([newer, older]);
      expect(await auditActions(portrait.videoId)).toContain('video.delete');
      // The files go through the storage cleanup job queued with the delete.
      expect(await t.ctx.queue.findByKey(`storage.cleanup:${portrait.videoId}:1`)).toMatchObject({
        status: 'queued',
      });
      await runJobs();
      expect(await keysOf(portrait.videoId)).toEqual([]);
      expect(await keysOf(older)).toHaveLength(3);

      // An operator may not delete, not even a video that is not active.
      const asOperator = await remove(newer, operator);
      expect(asOperator.statusCode).toBe(403);
      expect(asOperator.json()).toMatchObject({ error: { code: 'forbidden' } });
      // Deleting a video that is not active leaves the active one alone.
      expect((await remove(newer)).statusCode).toBe(204);
      expect(await activeIds(portrait.id)).toEqual([older]);

      expect((await remove(portrait.videoId)).statusCode).toBe(404);
      const anonymous = await t.app.inject({ method: 'DELETE', url: `/api/videos/${older}` });
      expect(anonymous.statusCode).toBe(401);
    },
  );

  it('deleting the last video leaves the page on its no-video state, with the same link', async () => {
    const portrait = await newPortrait();
    const before = await portraitDetail(portrait.id);
    const processing = await addVideo(portrait.id);

    expect((await remove(portrait.videoId)).statusCode).toBe(204);
    // The remaining video is not ready, so nothing takes over.
    expect(await activeIds(portrait.id)).toEqual([]);
    expect((await remove(processing)).statusCode).toBe(204);
    expect(await listVideos(portrait.id)).toEqual([]);

    const detail = await portraitDetail(portrait.id);
    expect(detail.activeVideo).toBeNull();
    expect(detail.publicUrl).toBe(before.publicUrl);
    const page = await t.app.inject({ url: `/p/${portrait.slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-state="no_video"');

    // The next video of a portrait without an active one becomes active at once.
    const response = await uploadVideo(portrait.id);
    expect(response.statusCode, response.body).toBe(202);
    const next = response.json<{ id: string; active: boolean }>();
    expect(next.active).toBe(true);
    expect(await activeIds(portrait.id)).toEqual([next.id]);
    expect((await portraitDetail(portrait.id)).activeVideo?.id).toBe(next.id);
  });
});
