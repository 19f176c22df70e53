import { describe, expect, it } from 'vitest';
import { fakeTransactions, uniqueViolation } from '../../../test/support/fake-transaction.js';
import { FAKE_NOW, portraitRow as fakePortraitRow } from '../../../test/support/service-fakes.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import { createPortraitActions, type Deps } from './portrait-actions.service.js';
import type { MarkerRow, PortraitRow } from './portraits.repo.js';
import type { PortraitDetail } from './portraits.schemas.js';

const NOW = FAKE_NOW;
const ACTOR = { userId: 'user-1', ip: '203.0.113.7' };
const PORTRAIT_ID = 'portrait-1';

const portraitRow = (overrides: Partial<PortraitRow> = {}): PortraitRow =>
  fakePortraitRow(PORTRAIT_ID, overrides);

const markerRow = (overrides: Partial<MarkerRow> = {}): MarkerRow => ({
  id: 'marker-1',
  portraitId: PORTRAIT_ID,
  version: 1,
  status: 'ready',
  errorCode: null,
  error: null,
  width: 640,
  height: 480,
  dpi: 72,
  widthMm: 225,
  heightMm: 169,
  trackingPoints: 100,
  freakPoints: 200,
  qualityScore: 80,
  qualityAdvice: '[]',
  selfTestFound: 1,
  selfTestCornerErrorPx: 1.5,
  metrics: null,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  ...overrides,
});

/**
 * The actions over in-memory rows: writes inside a transaction (markers, the marker version,
 * the deletion) are undone when it rolls back. `fail` makes one step throw.
 */
function setup(options: { marker?: Partial<MarkerRow> } = {}) {
  const tx = fakeTransactions();
  const portraits = new Map([[PORTRAIT_ID, portraitRow()]]);
  const markers: MarkerRow[] = [markerRow(options.marker)];
  const videoIds = ['video-1', 'video-2'];
  const fail = { insertMarker: false, refreshStatus: false, audit: false };

  const deps: Deps = {
    database: tx.database,
    clock: { now: () => NOW },
    queue: tx.queue,
    audit: {
      async record(event, trx) {
        if (fail.audit) throw new Error('audit log unavailable');
        await tx.audit.record(event, trx);
      },
    },
    portraits: {
      async lockForUpdate(db, id) {
        tx.assertInTransaction(db, 'lockForUpdate');
        return portraits.get(id);
      },
      async storedFiles(_db, ids) {
        return {
          prefixes: [
            ...ids.flatMap((id) => [`portraits/${id}/`, `markers/${id}/`]),
            ...videoIds.map((id) => `videos/${id}/`),
          ],
          entityIds: [...ids, ...videoIds],
        };
      },
      async delete(db, id) {
        tx.assertInTransaction(db, 'delete');
        tx.deleteIn(db, portraits, id);
        return true;
      },
      async currentMarker(_db, portrait) {
        return markers.find(
          (m) => m.portraitId === portrait.id && m.version === portrait.markerVersion,
        );
      },
      async latestMarkerVersion(_db, portraitId) {
        return Math.max(
          0,
          ...markers.filter((m) => m.portraitId === portraitId).map((m) => m.version),
        );
      },
      async insertMarker(db, marker) {
        tx.assertInTransaction(db, 'insertMarker');
        // The lost race: a concurrent regeneration inserted this version first.
        if (fail.insertMarker) throw uniqueViolation();
        tx.pushTo(
          db,
          markers,
          markerRow({
            id: marker.id,
            portraitId: marker.portraitId,
            version: marker.version,
            status: 'processing',
          }),
        );
      },
      async setMarkerVersion(db, id, version, now) {
        tx.assertInTransaction(db, 'setMarkerVersion');
        const row = portraits.get(id);
        if (row !== undefined) {
          tx.setIn(db, portraits, id, { ...row, markerVersion: version, updatedAt: now });
        }
      },
    },
    portraitsService: {
      async refreshStatus() {
        if (fail.refreshStatus) throw new Error('status failed');
        return 'processing';
      },
      async getDetail(id): Promise<PortraitDetail> {
        const row = portraits.get(id);
        if (row === undefined) throw new Error('no such portrait');
        return {
          id,
          slug: row.slug,
          clientId: row.clientId,
          status: row.status,
          publicUrl: `https://ar.example.com/p/${row.slug}`,
          imageVersion: row.imageVersion,
          width: row.width,
          height: row.height,
          viewCount: row.viewCount,
          createdAt: row.createdAt,
          marker: null,
          activeVideo: null,
        };
      },
    },
  };
  return { tx, deps, fail, portraits, markers, actions: createPortraitActions(deps) };
}

describe('portrait actions: regenerateMarker', () => {
  it('starts the next version: marker row, version, job and audit entry together', async () => {
    const { tx, actions, portraits, markers } = setup();
    const detail = await actions.regenerateMarker(PORTRAIT_ID, ACTOR);
    expect(detail.id).toBe(PORTRAIT_ID);
    expect(portraits.get(PORTRAIT_ID)?.markerVersion).toBe(2);
    expect(markers.map((m) => [m.version, m.status])).toEqual([
      [1, 'ready'],
      [2, 'processing'],
    ]);
    expect(tx.jobs).toEqual([JOB_KINDS.marker.job(PORTRAIT_ID, 2)]);
    expect(tx.audits).toEqual([
      {
        action: 'portrait.marker.regenerate',
        actorUserId: ACTOR.userId,
        actorIp: ACTOR.ip,
        targetType: 'portrait',
        targetId: PORTRAIT_ID,
        details: { version: 2 },
      },
    ]);
  });

  it('refuses while the current marker is still processing (409), enqueuing nothing', async () => {
    const { tx, actions, markers } = setup({ marker: { status: 'processing' } });
    await expect(actions.regenerateMarker(PORTRAIT_ID, ACTOR)).rejects.toMatchObject({
      code: 'marker_in_progress',
      httpStatus: 409,
    });
    expect(tx.jobs).toEqual([]);
    expect(tx.audits).toEqual([]);
    expect(markers).toHaveLength(1);
  });

  it('answers marker_in_progress when a concurrent regeneration won the race', async () => {
    const { tx, actions, fail, portraits } = setup();
    fail.insertMarker = true;
    await expect(actions.regenerateMarker(PORTRAIT_ID, ACTOR)).rejects.toMatchObject({
      code: 'marker_in_progress',
      httpStatus: 409,
    });
    expect(tx.jobs).toEqual([]);
    expect(tx.audits).toEqual([]);
    expect(portraits.get(PORTRAIT_ID)?.markerVersion).toBe(1);
  });

  it('leaves no job, no audit entry and no new version when the transaction fails', async () => {
    const { tx, actions, portraits, markers } = setup();
    // The commit fails after every step ran: the job and the entry go with the rollback.
    tx.failNextCommits(new Error('database went away'));
    await expect(actions.regenerateMarker(PORTRAIT_ID, ACTOR)).rejects.toThrow(
      'database went away',
    );
    expect(tx.jobs).toEqual([]);
    expect(tx.audits).toEqual([]);
    expect(markers).toHaveLength(1);
    expect(portraits.get(PORTRAIT_ID)?.markerVersion).toBe(1);
  });

  it('rolls back when a step inside the transaction throws', async () => {
    const { tx, actions, fail, markers } = setup();
    fail.refreshStatus = true;
    await expect(actions.regenerateMarker(PORTRAIT_ID, ACTOR)).rejects.toThrow('status failed');
    expect(tx.jobs).toEqual([]);
    expect(tx.audits).toEqual([]);
    expect(markers).toHaveLength(1);
  });

  it('is a 404 for an unknown portrait', async () => {
    const { tx, actions } = setup();
    await expect(actions.regenerateMarker('nobody', ACTOR)).rejects.toMatchObject({
      code: 'not_found',
      httpStatus: 404,
    });
    expect(tx.jobs).toEqual([]);
  });
});

describe('portrait actions: remove', () => {
  it('deletes the row and enqueues the cleanup of its files and its videos, with the audit entry', async () => {
    const { tx, actions, portraits } = setup();
    await actions.remove(PORTRAIT_ID, ACTOR);
    expect(portraits.has(PORTRAIT_ID)).toBe(false);
    expect(tx.jobs).toEqual([
      JOB_KINDS.storageCleanup.job(PORTRAIT_ID, {
        prefixes: [
          `portraits/${PORTRAIT_ID}/`,
          `markers/${PORTRAIT_ID}/`,
          'videos/video-1/',
          'videos/video-2/',
        ],
        entityIds: [PORTRAIT_ID, 'video-1', 'video-2'],
      }),
    ]);
    expect(tx.audits).toEqual([
      {
        action: 'portrait.delete',
        actorUserId: ACTOR.userId,
        actorIp: ACTOR.ip,
        targetType: 'portrait',
        targetId: PORTRAIT_ID,
        details: { clientId: 'client-1', storagePrefixes: 4 },
      },
    ]);
  });

  it('is a 404 for an unknown portrait and enqueues nothing', async () => {
    const { tx, actions, portraits } = setup();
    await expect(actions.remove('nobody', ACTOR)).rejects.toMatchObject({
      code: 'not_found',
      httpStatus: 404,
    });
    expect(tx.jobs).toEqual([]);
    expect(tx.audits).toEqual([]);
    expect(portraits.size).toBe(1);
  });

  it('keeps the portrait and enqueues nothing when its audit entry cannot be written', async () => {
    const { tx, actions, fail, portraits } = setup();
    fail.audit = true;
    await expect(actions.remove(PORTRAIT_ID, ACTOR)).rejects.toThrow('audit log unavailable');
    expect(portraits.has(PORTRAIT_ID)).toBe(true);
    expect(tx.jobs).toEqual([]);
  });
});
