import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageKey, type StorageKey } from '../../infra/storage/index.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { backupSettings } from '../../../test/support/backup.js';
import { createBackupService, type BackupService } from './backup.service.js';

/**
 * Object garbage collection of `prune`, seen at once: `staleAfterMs: 0` (the CLI spares object
 * files younger than 15 minutes, see test/e2e/backup-cli.int.test.ts).
 */
describe('backup prune deletes exactly the objects no kept backup references', () => {
  let t: TestApp;
  let dir: string;
  let service: BackupService;

  const portrait = async (): Promise<StorageKey[]> => {
    const id = randomBytes(4).toString('hex');
    const keys = [
      storageKey('portraits', id, 'original.jpg'),
      storageKey('videos', id, 'video.mp4'),
    ];
    for (const key of keys) await t.ctx.storage.put(key, randomBytes(30_000));
    return keys;
  };
  const objectFiles = async (): Promise<string[]> => {
    const files: string[] = [];
    for await (const info of service.destination.list('objects/')) files.push(info.key);
    return files.sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    dir = await mkdtemp(path.join(os.tmpdir(), 'vertex-prune-'));
    service = createBackupService({
      database: t.ctx.database,
      databaseConfig: t.config.database,
      storage: t.ctx.storage,
      settings: backupSettings(dir, {
        keep: { last: 1, days: undefined, daily: undefined, weekly: undefined, monthly: undefined },
      }),
      secretNames: [],
      clock: t.clock,
      staleAfterMs: 0,
    });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('after a portrait is deleted and new backups taken, prune keeps only the newest one’s objects', async () => {
    await t.createUser('admin', 'owner');
    const gone = await portrait();
    const kept = await portrait();
    const first = await service.create();
    expect(first.copied).toBe(4);

    for (const key of gone) await t.ctx.storage.delete(key);
    t.clock.advance(60_000);
    const second = await service.create();
    expect(second).toMatchObject({ copied: 0, reused: 2 });
    const added = await portrait();
    t.clock.advance(60_000);
    const third = await service.create();
    expect(third).toMatchObject({ copied: 2, reused: 2 });
    expect(await objectFiles()).toHaveLength(6);

    const pruned = await service.prune();
    expect(pruned.deleted).toEqual([first.id, second.id]);
    expect(pruned.objectsDeleted).toBe(2);
    const manifest = (await service.open(third.id)).manifest;
    expect(manifest.objects.map((o) => o.key).sort()).toEqual([...kept, ...added].sort());
    expect(await objectFiles()).toEqual(manifest.objects.map((o) => o.file).sort());
    expect((await service.list()).map((b) => b.id)).toEqual([third.id]);
    expect(await service.verify(third.id)).toEqual([]);

    // Nothing left to collect: a second prune deletes nothing.
    expect(await service.prune()).toEqual({ deleted: [], objectsDeleted: 0 });
  }, 60_000);
});
