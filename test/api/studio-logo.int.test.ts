import { readdir } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseStorageKey } from '../../src/infra/storage/index.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { multipartBody, type FilePart } from '../support/multipart.js';
import { readAll } from '../support/storage.js';

interface StudioLogo {
  url: string;
  width: number;
  height: number;
  sizeBytes: number;
  updatedAt: string;
}

const LOGO_URL = /^\/media\/studio\/logo\.png\?v=[0-9a-f]{16}$/;

/** A wide logo with a transparent background, larger than the stored bound. */
async function widePng(): Promise<Buffer> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="300">' +
    '<rect x="40" y="40" width="720" height="220" rx="40" fill="#1d3a8a"/>' +
    '<circle cx="150" cy="150" r="80" fill="#f0a500"/></svg>';
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A small JPEG that carries EXIF (camera, copyright), which the stored copy must not keep. */
async function jpegWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 90, channels: 3, background: '#c03030' } })
    .jpeg()
    .withExif({ IFD0: { Copyright: 'secret studio', Make: 'TestCam' } })
    .toBuffer();
}

const part = (content: Buffer, filename: string, contentType: string): FilePart => ({
  content,
  filename,
  contentType,
});

describe('studio logo', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let operator: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.loginAs('admin');
    operator = await t.loginAs('operator');
  });
  afterAll(() => t.close());

  // The logo is one per installation: every test starts without one.
  beforeEach(async () => {
    await t.ctx.services.studioService.removeLogo({ userId: admin.userId, ip: null });
  });

  const upload = (file: FilePart, session: LoggedIn | null = admin) => {
    const body = multipartBody({}, { logo: file });
    return t.app.inject({
      method: 'PUT',
      url: '/api/studio/logo',
      headers: { ...body.headers, ...(session === null ? {} : bearer(session)) },
      payload: body.payload,
    });
  };

  async function uploaded(file: FilePart): Promise<StudioLogo> {
    const response = await upload(file);
    expect(response.statusCode, response.body).toBe(200);
    const { logo } = response.json<{ logo: StudioLogo }>();
    return logo;
  }

  const current = async (session = admin) => {
    const response = await t.app.inject({ url: '/api/studio/logo', headers: bearer(session) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ logo: StudioLogo | null }>().logo;
  };

  const storedKeys = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const item of t.ctx.storage.list('studio/')) keys.push(item.key);
    return keys;
  };

  const auditActions = async (): Promise<string[]> =>
    (
      await t.ctx.database.db
        .selectFrom('auditLog')
        .select('action')
        .where('targetType', '=', 'studio_asset')
        .orderBy('seq')
        .execute()
    ).map((row) => row.action);

  const uploadTempFiles = async (): Promise<string[]> =>
    readdir(t.ctx.services.uploads.tmpDir).catch(() => []);

  it('has none at first: null, public 404, no URL for the viewer', async () => {
    expect(await current()).toBeNull();
    const file = await t.app.inject({ url: '/media/studio/logo.png' });
    expect(file.statusCode).toBe(404);
    expect(file.json<{ error: { code: string } }>().error.code).toBe('not_found');
    expect(await t.ctx.services.studioService.studioLogoUrl()).toBeUndefined();
  });

  it('stores an uploaded PNG as a bounded PNG with transparency, served publicly', async () => {
    const before = (await auditActions()).length;
    const logo = await uploaded(part(await widePng(), 'logo.png', 'image/png'));
    expect(logo.url).toMatch(LOGO_URL);
    expect({ width: logo.width, height: logo.height }).toEqual({ width: 512, height: 192 });
    expect(await current(operator)).toEqual(logo);
    expect(await t.ctx.services.studioService.studioLogoUrl()).toBe(logo.url);

    // One file under a server-chosen key; the row names it.
    const keys = await storedKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^studio\/logo\/[0-9a-f-]{36}\.png$/);
    const row = await t.ctx.database.db
      .selectFrom('studioAssets')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'logo', storageKey: keys[0], sizeBytes: logo.sizeBytes });

    // Public, no session: the PNG itself, cacheable forever under its versioned URL.
    const file = await t.app.inject({ url: logo.url });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['cache-control']).toContain('immutable');
    expect(file.rawPayload.length).toBe(logo.sizeBytes);
    const meta = await sharp(file.rawPayload).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 512, height: 192, hasAlpha: true });
    const etag = file.headers.etag;
    expect(etag).toMatch(/^"logo-[0-9a-f]{16}"$/);

    // Without (or with another) version: revalidated each time, and the ETag answers 304.
    const unversioned = await t.app.inject({ url: '/media/studio/logo.png' });
    expect(unversioned.statusCode).toBe(200);
    expect(unversioned.headers['cache-control']).toBe('no-cache');
    const revalidated = await t.app.inject({
      url: '/media/studio/logo.png',
      headers: { 'if-none-match': String(etag) },
    });
    expect(revalidated.statusCode).toBe(304);

    expect((await auditActions()).slice(before)).toEqual(['studio.logo.set']);
    expect(await uploadTempFiles()).toEqual([]);
  });

  it('replaces the logo: new URL, old file deleted, metadata stripped', async () => {
    const first = await uploaded(part(await widePng(), 'first.png', 'image/png'));
    const [firstKey] = await storedKeys();
    const second = await uploaded(part(await jpegWithExif(), 'second.jpg', 'image/jpeg'));
    expect(second.url).toMatch(LOGO_URL);
    expect(second.url).not.toBe(first.url);
    // Smaller than the bound: kept at its size.
    expect({ width: second.width, height: second.height }).toEqual({ width: 120, height: 90 });
    const keys = await storedKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toBe(firstKey);

    const file = await t.app.inject({ url: second.url });
    expect(file.statusCode).toBe(200);
    const meta = await sharp(file.rawPayload).metadata();
    expect(meta.format).toBe('png');
    expect(meta.exif).toBeUndefined();
    expect(file.rawPayload.includes('secret studio')).toBe(false);
    // The first logo's URL now gets the current file, but must not be cached forever.
    const stale = await t.app.inject({ url: first.url });
    expect(stale.headers['cache-control']).toBe('no-cache');
    expect(stale.rawPayload.equals(file.rawPayload)).toBe(true);

    const stored = await readAll((await t.ctx.storage.get(keyOf(keys[0]))).body);
    expect(stored.equals(file.rawPayload)).toBe(true);
  });

  it.each([
    [
      'a text file named .png',
      Buffer.from('not an image at all, just text'),
      415,
      'unsupported_media',
    ],
    [
      'an SVG (active content)',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      415,
      'unsupported_media',
    ],
    [
      'a GIF',
      Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
      415,
      'unsupported_media',
    ],
  ])(
    'refuses %s (415 unsupported_media) and stores nothing',
    async (_name, content, status, code) => {
      const logo = await uploaded(part(await widePng(), 'logo.png', 'image/png'));
      const keys = await storedKeys();
      const actions = await auditActions();
      const response = await upload(part(content, 'logo.png', 'image/png'));
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json<{ error: { code: string } }>().error.code).toBe(code);
      // The previous logo stays exactly as it was.
      expect(await current()).toEqual(logo);
      expect(await storedKeys()).toEqual(keys);
      expect(await auditActions()).toEqual(actions);
      expect(await uploadTempFiles()).toEqual([]);
    },
  );

  it('refuses an image type other than PNG, JPEG or WebP (AVIF) by its content', async () => {
    const avif = await sharp({
      create: { width: 64, height: 64, channels: 3, background: '#336699' },
    })
      .avif()
      .toBuffer();
    const response = await upload(part(avif, 'logo.png', 'image/png'));
    expect(response.statusCode, response.body).toBe(415);
    expect(response.json<{ error: { code: string; details: unknown } }>().error).toMatchObject({
      code: 'unsupported_media',
      details: { field: 'logo', detected: 'avif' },
    });
    expect(await storedKeys()).toEqual([]);
  });

  it('refuses a truncated PNG (422 image_corrupt) and an upload without the file (400)', async () => {
    const png = await widePng();
    const response = await upload(part(png.subarray(0, 200), 'logo.png', 'image/png'));
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('image_corrupt');
    expect(await current()).toBeNull();
    expect(await storedKeys()).toEqual([]);

    const empty = multipartBody({}, {});
    const missing = await t.app.inject({
      method: 'PUT',
      url: '/api/studio/logo',
      headers: { ...empty.headers, ...bearer(admin) },
      payload: empty.payload,
    });
    expect(missing.statusCode, missing.body).toBe(400);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
  });

  it('deletes the logo (row and file); deleting again is a no-op', async () => {
    const logo = await uploaded(part(await widePng(), 'logo.png', 'image/png'));
    const before = (await auditActions()).length;
    const removed = await t.app.inject({
      method: 'DELETE',
      url: '/api/studio/logo',
      headers: bearer(admin),
    });
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await current()).toBeNull();
    expect(await storedKeys()).toEqual([]);
    expect((await t.app.inject({ url: logo.url })).statusCode).toBe(404);
    expect(await t.ctx.services.studioService.studioLogoUrl()).toBeUndefined();

    const again = await t.app.inject({
      method: 'DELETE',
      url: '/api/studio/logo',
      headers: bearer(admin),
    });
    expect(again.statusCode).toBe(204);
    expect((await auditActions()).slice(before)).toEqual(['studio.logo.remove']);
  });

  it('lets only admins change it; any user may read it', async () => {
    const png = part(await widePng(), 'logo.png', 'image/png');
    const denied = await upload(png, operator);
    expect(denied.statusCode).toBe(403);
    expect(denied.json<{ error: { code: string } }>().error.code).toBe('forbidden');
    expect((await upload(png, null)).statusCode).toBe(401);
    expect(await storedKeys()).toEqual([]);

    const logo = await uploaded(png);
    const deleteDenied = await t.app.inject({
      method: 'DELETE',
      url: '/api/studio/logo',
      headers: bearer(operator),
    });
    expect(deleteDenied.statusCode).toBe(403);
    expect(await current(operator)).toEqual(logo);
    expect((await t.app.inject({ url: '/api/studio/logo' })).statusCode).toBe(401);
  });
});

function keyOf(key: string | undefined) {
  if (key === undefined) throw new Error('no stored key');
  return parseStorageKey(key);
}
