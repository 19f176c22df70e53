import path from 'node:path';
import type { Database } from '../infra/db/database.js';
import { processPortrait } from '../infra/media/image.js';
import type { JobHandler } from '../infra/queue/job-runner.js';
import { parseStorageKey, type Storage, type StorageKey } from '../infra/storage/index.js';
import { portraitKeys } from '../modules/portraits/portrait-keys.js';
import type { PortraitsRepo } from '../modules/portraits/portraits.repo.js';
import type { PortraitsService } from '../modules/portraits/portraits.service.js';
import type { Clock } from '../shared/clock.js';
import type { JobPayload } from './job-kinds.js';
import { downloadTo, withJobDir } from './temp-files.js';

interface Deps {
  database: Database;
  storage: Storage;
  clock: Clock;
  portraitsRepo: PortraitsRepo;
  portraitsService: Pick<PortraitsService, 'refreshStatus'>;
  tmpRoot: string;
  maxImagePixels: number;
}

/**
 * Display copy and thumbnails (JPEG + WebP, upright, no metadata) of a portrait's current photo,
 * stored beside that photo's original. A job whose photo was replaced meanwhile removes what it
 * wrote and changes nothing (the new photo has a job of its own).
 */
export function portraitImagesJob(deps: Deps): JobHandler<JobPayload<'portrait.images'>> {
  const { database, storage, clock, portraitsRepo, portraitsService } = deps;
  const { db } = database;
  return {
    async run({ portraitId }) {
      const portrait = await portraitsRepo.findById(db, portraitId);
      if (portrait === undefined) return; // deleted meanwhile: nothing to do
      const { imageVersion } = portrait;
      const written: StorageKey[] = [];
      await withJobDir(deps.tmpRoot, async (dir) => {
        const original = await downloadTo(
          storage,
          parseStorageKey(portrait.originalKey),
          path.join(dir, 'original'),
        );
        const processed = await processPortrait(original, { maxPixels: deps.maxImagePixels });
        const puts: [StorageKey, Buffer][] = [
          [portraitKeys.display(portraitId, 'jpg', imageVersion), processed.display.jpeg],
          [portraitKeys.display(portraitId, 'webp', imageVersion), processed.display.webp],
          ...processed.thumbnails.flatMap((t): [StorageKey, Buffer][] => [
            [portraitKeys.thumbnail(portraitId, t.size, 'jpg', imageVersion), t.jpeg],
            [portraitKeys.thumbnail(portraitId, t.size, 'webp', imageVersion), t.webp],
          ]),
        ];
        for (const [key, body] of puts) {
          written.push(key);
          await storage.put(key, body, {
            contentType: key.endsWith('.webp') ? 'image/webp' : 'image/jpeg',
          });
        }
      });
      const now = clock.now().toISOString();
      const current = await portraitsRepo.setImagesResult(
        db,
        portraitId,
        { readyAt: now },
        now,
        imageVersion,
      );
      if (!current) {
        // Replaced (or deleted) while this ran: its files would be orphans.
        await Promise.allSettled(written.map((key) => storage.delete(key)));
        return;
      }
      await portraitsService.refreshStatus(portraitId);
    },
    async onFailed({ portraitId }, reason) {
      const error = `image processing failed: ${reason}`;
      await portraitsRepo.setImagesResult(db, portraitId, { error }, clock.now().toISOString());
      await portraitsService.refreshStatus(portraitId);
    },
  };
}
