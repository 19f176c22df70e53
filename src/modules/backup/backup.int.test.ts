import { createHash, randomBytes } from 'node:crypto';
import { Decrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageKey } from '../../infra/storage/index.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { BACKUP_PASSPHRASE, backupSettings } from '../../../test/support/backup.js';
import { createBackupService, type BackupService } from './backup.service.js';

let t: TestApp;
let dir: string;
let service: BackupService;
/** Object files of the destination, relative to `objects/`. */
const objectFiles = () =>
  (readdirSync(path.join(dir, 'objects'), { recursive: true }) as string[]).filter((n) =>
    /\.age$|\.(jpg|mp4|mind)$/.test(n),
  );

function serviceFor(settings: Partial<TestApp['config']['backup']>): BackupService {
  return createBackupService({
    database: t.ctx.database,
    databaseConfig: t.config.database,
    storage: t.ctx.storage,
    settings: backupSettings(dir, settings),
    secretNames: ['SESSION_SECRET'],
    configuration: t.config.settings,
    clock: t.clock,
  });
}

beforeAll(async () => {
  t = await createTestApp();
  dir = mkdtempSync(path.join(os.tmpdir(), 'vertex-backup-'));
  service = serviceFor({});
  await t.createUser('admin', 'owner');
  const id = randomBytes(4).toString('hex');
  await t.ctx.storage.put(storageKey('portraits', id, 'original.jpg'), randomBytes(200_000));
  await t.ctx.storage.put(storageKey('videos', id, 'video.mp4'), randomBytes(300_000));
  await t.ctx.storage.put(storageKey('markers', id, 'marker.mind'), Buffer.from('marker'));
});

afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup create, list and verify', () => {
  let first: string;

  it('refuses an encrypted backup without a passphrase, naming the variables', async () => {
    await expect(serviceFor({ passphrase: undefined }).create()).rejects.toThrow(
      /BACKUP_PASSPHRASE.*BACKUP_ENCRYPTION=none/,
    );
  });

  it('creates a complete backup that verifies', async () => {
    const created = await service.create();
    first = created.id;
    expect(created.id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(created).toMatchObject({ copied: 3, reused: 0 });
    expect(objectFiles()).toHaveLength(3);
    const listed = await service.list();
    expect(listed).toEqual([
      {
        id: first,
        createdAt: t.clock.now().toISOString(),
        status: 'complete',
        bytes: created.bytes,
        objects: 3,
      },
    ]);
    expect(await service.verify(first)).toEqual([]);
  });

  it('encrypts every file with age: the Debian age CLI decrypts an object with the key', async () => {
    const decrypter = new Decrypter();
    decrypter.addPassphrase(BACKUP_PASSPHRASE);
    const key = await decrypter.decrypt(readFileSync(path.join(dir, 'identity.age')), 'text');
    const keyFile = path.join(dir, 'key.txt');
    writeFileSync(keyFile, key, { mode: 0o600 });
    for (const name of objectFiles()) {
      const plain = execFileSync('age', ['-d', '-i', keyFile, path.join(dir, 'objects', name)]);
      const key = name.replace(/\.age$/, '') as Parameters<typeof t.ctx.storage.get>[0];
      const original = await t.ctx.storage.get(key);
      const chunks: Buffer[] = [];
      for await (const chunk of original.body) chunks.push(chunk as Buffer);
      expect(createHash('sha256').update(plain).digest('hex')).toBe(
        createHash('sha256').update(Buffer.concat(chunks)).digest('hex'),
      );
    }
    rmSync(keyFile);
    const manifestFile = path.join(dir, 'backups', first, 'manifest.json.age');
    expect(readFileSync(manifestFile).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(readFileSync(manifestFile).includes('SESSION_SECRET')).toBe(false);
  });

  it('copies no object again on a second backup', async () => {
    t.clock.advance(60_000);
    const second = await service.create();
    expect(second).toMatchObject({ copied: 0, reused: 3 });
    expect(objectFiles()).toHaveLength(3);
    expect(await service.verify(second.id)).toEqual([]);
  });

  it('fails verification naming a tampered object', async () => {
    const [name] = objectFiles();
    if (name === undefined) throw new Error('no object');
    const file = path.join(dir, 'objects', name);
    const bytes = readFileSync(file);
    const flipped = Buffer.from(bytes);
    const at = flipped.length - 10;
    flipped[at] = (flipped[at] ?? 0) ^ 0xff;
    writeFileSync(file, flipped);
    const problems = await service.verify(first);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`objects/${name}`);
    writeFileSync(file, bytes);
    expect(await service.verify(first)).toEqual([]);
  });

  it('lists an interrupted backup (no manifest) as incomplete and a wrong passphrase fails clearly', async () => {
    mkdirSync(path.join(dir, 'backups', '20990101T000000Z-abcdef'));
    writeFileSync(path.join(dir, 'backups', '20990101T000000Z-abcdef', 'database.age'), 'partial');
    const listed = await service.list();
    expect(listed.at(-1)).toEqual({
      id: '20990101T000000Z-abcdef',
      createdAt: '2099-01-01T00:00:00.000Z',
      status: 'incomplete',
      bytes: 0,
      objects: 0,
    });
    expect(listed.filter((b) => b.status === 'complete')).toHaveLength(2);
    expect(await service.delete('20990101T000000Z-abcdef')).toBe(true);
    expect(await service.delete('20990101T000000Z-abcdef')).toBe(false);
    expect(await service.delete('../../etc')).toBe(false);
    expect((await service.list()).map((b) => b.id)).not.toContain('20990101T000000Z-abcdef');
    await expect(serviceFor({ passphrase: 'wrong' }).list()).rejects.toThrow(/wrong passphrase/);
  });

  it('writes plain files only with BACKUP_ENCRYPTION=none, and the database copy is usable', async () => {
    const plain = serviceFor({ encryption: 'none', passphrase: undefined });
    const created = await plain.create();
    expect(await plain.verify(created.id)).toEqual([]);
    const manifest = JSON.parse(
      readFileSync(path.join(dir, 'backups', created.id, 'manifest.json'), 'utf8'),
    ) as {
      dialect: string;
      migration: string;
      secretVariables: string[];
      configuration: Record<string, string>;
    };
    expect(manifest.dialect).toBe(t.ctx.database.dialect);
    // Which secrets exist, never their values; the other settings as they are.
    expect(manifest.secretVariables).toEqual(['SESSION_SECRET']);
    expect(manifest.configuration).toMatchObject({ NODE_ENV: 'test', BCRYPT_COST: '4' });
    expect(Object.keys(manifest.configuration)).not.toContain('SESSION_SECRET');
    expect(JSON.stringify(manifest)).not.toContain(t.config.sessionSecret ?? 'no secret');
    expect(manifest.migration).toMatch(/^\d{4}_/);
    if (t.ctx.database.dialect === 'postgres') {
      const listing = execFileSync('pg_restore', [
        '--list',
        path.join(dir, 'backups', created.id, 'database'),
      ]);
      expect(listing.toString()).toContain('TABLE');
    }
  });

  it('also encrypts every file to BACKUP_RECIPIENTS: an offline key decrypts without the passphrase', async () => {
    const offline = await generateX25519Identity();
    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-backup-'));
    try {
      const withRecipient = createBackupService({
        database: t.ctx.database,
        databaseConfig: t.config.database,
        storage: t.ctx.storage,
        settings: backupSettings(otherDir, { recipients: [await identityToRecipient(offline)] }),
        secretNames: [],
        clock: t.clock,
      });
      const created = await withRecipient.create();
      const keyFile = path.join(otherDir, 'offline.txt');
      writeFileSync(keyFile, `${offline}\n`, { mode: 0o600 });
      const manifest = JSON.parse(
        execFileSync('age', [
          '-d',
          '-i',
          keyFile,
          path.join(otherDir, 'backups', created.id, 'manifest.json.age'),
        ]).toString(),
      ) as { objects: { file: string }[] };
      expect(manifest.objects).toHaveLength(3);
      for (const object of manifest.objects) {
        execFileSync('age', [
          '-d',
          '-i',
          keyFile,
          '-o',
          '/dev/null',
          path.join(otherDir, object.file),
        ]);
      }
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
