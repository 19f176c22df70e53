import { createHash } from 'node:crypto';
import type { Database } from '../../infra/db/database.js';
import type { ImageType } from '../../infra/media/index.js';
import {
  parseStorageKey,
  storageKey,
  type Storage,
  type StorageKey,
} from '../../infra/storage/index.js';
import type { ReceivedUpload } from '../../http/multipart-files.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { StudioAssetRow, StudioRepo } from './studio.repo.js';
import type { StudioLogo } from './studio.schemas.js';

/** What a logo may be uploaded as; it is always stored as PNG. */
export const LOGO_FORMATS: readonly ImageType[] = ['png', 'jpeg', 'webp'];
export const LOGO_MAX_BYTES = 5 * 1024 * 1024;
/** Long side of the stored logo: plenty for a page header on a phone's high-density screen. */
export const LOGO_MAX_SIDE_PX = 512;
/** Smaller than this is no readable logo. */
export const LOGO_MIN_SIDE_PX = 16;
export const STUDIO_LOGO_PATH = '/media/studio/logo.png';

/** Each stored logo gets a new key, so a reader of the previous row never gets a half-replaced file. */
export const studioKeys = {
  logo: (version: string): StorageKey => storageKey('studio', 'logo', `${version}.png`),
};

/** The `?v=` of the logo's URL: changes whenever the logo does, so the URL can be cached forever. */
export const logoVersion = (etag: string): string => etag.slice(0, 16);

export interface StoredLogo {
  key: StorageKey;
  etag: string;
  contentType: string;
}

export interface LogoMedia {
  /** Real type by content, pixel limit, full decode (throws AppError for anything else). */
  probeImage(path: string): Promise<{ format: ImageType }>;
  renderLogo(path: string): Promise<{ png: Buffer; width: number; height: number }>;
}

interface Deps {
  database: Database;
  storage: Storage;
  clock: Clock;
  assets: StudioRepo;
  audit: AuditService;
  media: LogoMedia;
}

const toLogo = (row: StudioAssetRow): StudioLogo => ({
  url: `${STUDIO_LOGO_PATH}?v=${logoVersion(row.etag)}`,
  width: row.width,
  height: row.height,
  sizeBytes: row.sizeBytes,
  updatedAt: row.updatedAt,
});

/**
 * The studio's uploaded logo: one row (`studio_assets`, name `logo`) pointing at a PNG that the
 * server rendered from the upload. Changes are serialised (`assets.lock`), so two concurrent
 * replacements cannot both think they replaced the same previous file and leave one orphaned.
 * A change of the row commits together with its audit entry; files are deleted after commit.
 */
export function createStudioService(deps: Deps) {
  const { database, storage, clock, assets, audit, media } = deps;
  const { db } = database;

  /** A failed delete of a replaced file only leaves an unreferenced object behind. */
  const deleteQuietly = (key: string) =>
    storage.delete(parseStorageKey(key)).catch(() => undefined);

  async function getLogo(): Promise<StudioLogo | null> {
    const row = await assets.find(db, 'logo');
    return row === undefined ? null : toLogo(row);
  }

  /** For the public page: the logo's versioned URL, or undefined when the studio has none. */
  async function studioLogoUrl(): Promise<string | undefined> {
    return (await getLogo())?.url;
  }

  /** For the media route: where the current logo is stored. */
  async function logoFile(): Promise<StoredLogo | undefined> {
    const row = await assets.find(db, 'logo');
    return row === undefined
      ? undefined
      : { key: parseStorageKey(row.storageKey), etag: row.etag, contentType: row.contentType };
  }

  /**
   * Checks the upload by content, renders the PNG, stores it under a new key, then points the
   * row at it; the previous file is deleted once the row no longer names it. A refused upload
   * stores nothing and changes nothing.
   */
  async function setLogo(upload: ReceivedUpload, actor: Actor): Promise<StudioLogo> {
    const file = upload.files.logo;
    if (file === undefined) throw new AppError('validation_failed', 400, 'logo file is required');
    const probe = await media.probeImage(file.path);
    if (!LOGO_FORMATS.includes(probe.format)) {
      throw new AppError('unsupported_media', 415, 'The logo must be a PNG, JPEG or WebP image', {
        field: 'logo',
        detected: probe.format,
      });
    }
    const rendered = await media.renderLogo(file.path);
    const etag = createHash('sha256').update(rendered.png).digest('hex');
    const key = studioKeys.logo(uuidv7(clock.now().getTime()));
    const row: StudioAssetRow = {
      name: 'logo',
      storageKey: key,
      contentType: 'image/png',
      etag,
      width: rendered.width,
      height: rendered.height,
      sizeBytes: rendered.png.length,
      updatedBy: actor.userId,
      updatedAt: clock.now().toISOString(),
    };
    await storage.put(key, rendered.png, { contentType: 'image/png' });
    let previous: StudioAssetRow | undefined;
    try {
      previous = await database.transaction(async (trx) => {
        await assets.lock(trx);
        const before = await assets.find(trx, 'logo');
        await assets.save(trx, row);
        await audit.record(
          {
            action: 'studio.logo.set',
            ...byActor(actor),
            targetType: 'studio_asset',
            targetId: 'logo',
            details: {
              uploadedFormat: probe.format,
              uploadedSize: file.size,
              width: row.width,
              height: row.height,
              sizeBytes: row.sizeBytes,
              replaced: before !== undefined,
            },
          },
          trx,
        );
        return before;
      });
    } catch (error) {
      await deleteQuietly(key);
      throw error;
    }
    if (previous !== undefined) await deleteQuietly(previous.storageKey);
    return toLogo(row);
  }

  /** Removes the logo (row, then file). Without a logo there is nothing to do: not an error. */
  async function removeLogo(actor: Actor): Promise<void> {
    const removed = await database.transaction(async (trx) => {
      await assets.lock(trx);
      const before = await assets.find(trx, 'logo');
      if (before === undefined) return undefined;
      await assets.remove(trx, 'logo');
      await audit.record(
        {
          action: 'studio.logo.remove',
          ...byActor(actor),
          targetType: 'studio_asset',
          targetId: 'logo',
        },
        trx,
      );
      return before;
    });
    if (removed !== undefined) await deleteQuietly(removed.storageKey);
  }

  return { getLogo, studioLogoUrl, logoFile, setLogo, removeLogo };
}

export type StudioService = ReturnType<typeof createStudioService>;
