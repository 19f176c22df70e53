import path from 'node:path';
import { processPortrait } from '../infra/media/image.js';
import { parseStorageKey, type StorageKey } from '../infra/storage/index.js';
import type { JobHandler } from '../infra/queue/job-runner.js';
import { portraitKeys } from '../modules/portraits/portrait-keys.js';
import { payloadString } from './job-kinds.js';
import type { ProcessingDeps } from './processing-deps.js';
import { downloadTo, withJobDir } from './temp-files.js';

/** Display copy and thumbnails (JPEG + WebP, upright, no metadata) of a portrait. */
export function portraitImagesJob(deps: ProcessingDeps): JobHandler {
  const { database, storage, clock, portraits, portraitsService, config } = deps;
  return {
    timeoutMs: 120_000,
    concurrency: 1,
    async run(payload) {
      const portraitId = payloadString(payload, 'portraitId');
      const portrait = await portraits.findById(database.db, portraitId);
      if (portrait === undefined) return; // deleted meanwhile: nothing to do
      await withJobDir(deps.tmpRoot, async (dir) => {
        const original = await downloadTo(
          storage,
          parseStorageKey(portrait.originalKey),
          path.join(dir, 'original'),
        );
        const processed = await processPortrait(original, {
          maxPixels: config.media.maxImagePixels,
        });
        const puts: [StorageKey, Buffer][] = [
          [portraitKeys.display(portraitId, 'jpg'), processed.display.jpeg],
          [portraitKeys.display(portraitId, 'webp'), processed.display.webp],
          ...processed.thumbnails.flatMap((t): [StorageKey, Buffer][] => [
            [portraitKeys.thumbnail(portraitId, t.size, 'jpg'), t.jpeg],
            [portraitKeys.thumbnail(portraitId, t.size, 'webp'), t.webp],
          ]),
        ];
        for (const [key, body] of puts) {
          await storage.put(key, body, {
            contentType: key.endsWith('.webp') ? 'image/webp' : 'image/jpeg',
          });
        }
      });
      const now = clock.now().toISOString();
      await database.db
        .updateTable('portraits')
        .set({ imagesReadyAt: now, imagesError: null, updatedAt: now })
        .where('id', '=', portraitId)
        .execute();
      await portraitsService.refreshStatus(portraitId);
    },
    async onFailed(payload, reason) {
      const portraitId = payloadString(payload, 'portraitId');
      await database.db
        .updateTable('portraits')
        .set({
          imagesError: `image processing failed: ${reason}`,
          updatedAt: clock.now().toISOString(),
        })
        .where('id', '=', portraitId)
        .execute();
      await portraitsService.refreshStatus(portraitId);
    },
  };
}
