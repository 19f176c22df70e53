import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../../../test/support/audit-crash-child.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createDatabase, type Database } from '../../infra/db/database.js';
import { migrateToLatest } from '../../infra/db/migrate.js';
import { createStorage, storageKey, type Storage } from '../../infra/storage/index.js';
import { systemClock } from '../../shared/clock.js';
import { createAuthService } from '../auth/auth.service.js';
import { createLockoutService } from '../auth/lockout.service.js';
import { createLoginFailuresRepo } from '../auth/login-failures.repo.js';
import { createPasswordHasher } from '../auth/password.js';
import { createSessionsRepo } from '../auth/sessions.repo.js';
import { createTokenService } from '../auth/tokens.js';
import { createStudioRepo } from '../studio/studio.repo.js';
import { createStudioService } from '../studio/studio.service.js';
import { createUsersRepo } from '../users/users.repo.js';
import { createUsersService } from '../users/users.service.js';
import { createAuditRepo, type AuditRepo } from './audit.repo.js';
import { createAuditService } from './audit.service.js';

/**
 * A change and the audit entry that records it commit together: when the append fails after the
 * change was written, or the process dies between the two, neither is in the database.
 */
describe('audit entries commit with their change', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let storage: Storage;
  let storageRoot: string;
  const auditRepo = () => createAuditRepo(database.dialect);
  const injected = new Error('injected: audit append failed');

  /** The real services, recording through `repo`. */
  function services(repo: AuditRepo) {
    const audit = createAuditService({ database, auditRepo: repo, clock: systemClock });
    const common = {
      database,
      users: createUsersRepo(),
      sessions: createSessionsRepo(),
      hasher: createPasswordHasher(4),
      audit,
      clock: systemClock,
    };
    const refuse = () => Promise.reject(new Error('no media in this test'));
    return {
      users: createUsersService(common),
      auth: createAuthService({
        ...common,
        tokens: createTokenService('audit-commit-test-secret'),
        settings: { sessionTimeoutMinutes: 30, sessionMaxHours: 12 },
        lockout: createLockoutService({
          database,
          failures: createLoginFailuresRepo(),
          audit,
          clock: systemClock,
          settings: { maxAttempts: 5, lockoutMinutes: 15, accountMaxFailuresPerHour: 50 },
        }),
      }),
      studio: createStudioService({
        database,
        storage,
        clock: systemClock,
        assets: createStudioRepo(database.dialect),
        audit,
        media: { probeImage: refuse, renderLogo: refuse },
      }),
    };
  }
  /** Appends fail at the insert of the entry, after the change was written. */
  const failingInsert = (): AuditRepo => ({
    ...auditRepo(),
    insert: () => Promise.reject(injected),
  });
  /** Appends fail before anything of the entry is read or written. */
  const failingLock = (): AuditRepo => ({
    ...auditRepo(),
    lockChain: () => Promise.reject(injected),
  });

  const entriesFor = (targetId: string) =>
    database.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', targetId)
      .orderBy('seq')
      .execute()
      .then((rows) => rows.map((row) => row.action));
  const auditCount = () => auditRepo().count(database.db);
  const userNamed = (username: string) =>
    database.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = createDatabase(testDatabase.config);
    await migrateToLatest(database, testDatabase.config);
    // The atomicity is the database's: a local storage serves both backends.
    storageRoot = await mkdtemp(path.join(tmpdir(), 'vertex-audit-commit-'));
    storage = createStorage({ driver: 'local', root: storageRoot });
  });
  afterAll(async () => {
    await database.destroy();
    await testDatabase.cleanup();
    await rm(storageRoot, { recursive: true, force: true });
  });

  describe('an injected failure of the audit append', () => {
    it('rolls back a created user; a normal run writes both', async () => {
      const before = await auditCount();
      const input = {
        username: 'injected-create',
        password: 'a-long-password',
        role: 'operator',
      } as const;
      await expect(services(failingInsert()).users.createUser(input)).rejects.toBe(injected);
      expect(await userNamed('injected-create')).toBeUndefined();
      expect(await auditCount()).toBe(before);

      const created = await services(auditRepo()).users.createUser(input);
      expect(await userNamed('injected-create')).toMatchObject({ id: created.id });
      expect(await entriesFor(created.id)).toEqual(['user.create']);
      expect(await auditCount()).toBe(before + 1);
    });

    it('rolls back disabling a user and revoking their session; a normal run writes both', async () => {
      const ok = services(auditRepo());
      const admin = await ok.users.createUser({
        username: 'injected-admin',
        password: 'a-long-password',
        role: 'admin',
      });
      const target = await ok.users.createUser({
        username: 'injected-target',
        password: 'a-long-password',
        role: 'operator',
      });
      const login = await ok.auth.login('injected-target', 'a-long-password', {
        ip: null,
        userAgent: null,
      });
      const actor = { userId: admin.id, ip: '10.0.0.1' };
      const liveSession = () =>
        database.db
          .selectFrom('sessions')
          .select('revokedAt')
          .where('userId', '=', target.id)
          .executeTakeFirstOrThrow();

      await expect(
        services(failingLock()).users.updateUser(target.id, { disabled: true }, actor),
      ).rejects.toBe(injected);
      expect(await userNamed('injected-target')).toMatchObject({ disabledAt: null });
      expect(await liveSession()).toEqual({ revokedAt: null });
      expect(await entriesFor(target.id)).toEqual(['user.create']);
      await ok.auth.authenticate(login.accessToken); // still valid

      await ok.users.updateUser(target.id, { disabled: true }, actor);
      expect((await userNamed('injected-target'))?.disabledAt).not.toBeNull();
      expect((await liveSession()).revokedAt).not.toBeNull();
      expect(await entriesFor(target.id)).toEqual(['user.create', 'user.update']);
    });

    it('opens no session when the login entry cannot be written', async () => {
      const ok = services(auditRepo());
      const user = await ok.users.createUser({
        username: 'injected-login',
        password: 'a-long-password',
        role: 'operator',
      });
      const sessions = () =>
        database.db.selectFrom('sessions').select('id').where('userId', '=', user.id).execute();
      const meta = { ip: '10.0.0.2', userAgent: 'test' };

      await expect(
        services(failingInsert()).auth.login('injected-login', 'a-long-password', meta),
      ).rejects.toBe(injected);
      expect(await sessions()).toEqual([]);

      const login = await ok.auth.login('injected-login', 'a-long-password', meta);
      const [session] = await sessions();
      expect(session).toBeDefined();
      expect(await entriesFor(session?.id ?? '')).toEqual(['auth.login']);
      await ok.auth.authenticate(login.accessToken);
    });

    it('keeps the studio logo (row and file) when its removal cannot be recorded', async () => {
      const ok = services(auditRepo());
      const admin = await ok.users.createUser({
        username: 'injected-studio',
        password: 'a-long-password',
        role: 'admin',
      });
      const key = storageKey('studio', 'logo', 'injected.png');
      await storage.put(key, Buffer.from('not really a png'));
      await createStudioRepo(database.dialect).save(database.db, {
        name: 'logo',
        storageKey: key,
        contentType: 'image/png',
        etag: 'e'.repeat(64),
        width: 16,
        height: 16,
        sizeBytes: 16,
        updatedBy: admin.id,
        updatedAt: new Date().toISOString(),
      });
      const actor = { userId: admin.id, ip: null };

      await expect(services(failingInsert()).studio.removeLogo(actor)).rejects.toBe(injected);
      expect(await ok.studio.getLogo()).not.toBeNull();
      expect(await storage.exists(key)).toBe(true);
      expect(await entriesFor('logo')).toEqual([]);

      await ok.studio.removeLogo(actor);
      expect(await ok.studio.getLogo()).toBeNull();
      expect(await storage.exists(key)).toBe(false);
      expect(await entriesFor('logo')).toEqual(['studio.logo.remove']);
    });
  });

  describe('a process killed with SIGKILL', () => {
    const script = path.resolve(import.meta.dirname, '../../../test/support/audit-crash-child.ts');

    /** Runs the child until it prints the line of `stop`, then kills it; returns that line. */
    function runAndKill(stop: CrashPoint, username: string): Promise<string> {
      const expected =
        stop === 'before-entry'
          ? 'change-written'
          : stop === 'after-entry'
            ? 'entry-written'
            : 'committed';
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', script, JSON.stringify(testDatabase.config), stop, username],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        let line: string | undefined;
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          line ??= stdout.split('\n').find((l) => l.startsWith(expected));
          if (line !== undefined) child.kill('SIGKILL');
        });
        child.on('error', reject);
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          if (line !== undefined && signal === 'SIGKILL') resolve(line);
          else reject(new Error(`child ended (${code ?? signal}) before "${expected}": ${stderr}`));
        });
      });
    }

    it('between the change and its entry: neither is there', async () => {
      const before = await auditCount();
      await runAndKill('before-entry', 'crash-before-entry');
      expect(await userNamed('crash-before-entry')).toBeUndefined();
      expect(await auditCount()).toBe(before);
    });

    it('after both were written but before commit: neither is there', async () => {
      const before = await auditCount();
      await runAndKill('after-entry', 'crash-after-entry');
      expect(await userNamed('crash-after-entry')).toBeUndefined();
      expect(await auditCount()).toBe(before);
    });

    it('after commit: both are there', async () => {
      const before = await auditCount();
      const line = await runAndKill('after-commit', 'crash-after-commit');
      const user = await userNamed('crash-after-commit');
      expect(line).toBe(`committed ${user?.id ?? '?'}`);
      expect(await entriesFor(user?.id ?? '')).toEqual(['user.create']);
      expect(await auditCount()).toBe(before + 1);
    });
  });

  it('leaves a valid chain after all of it', async () => {
    const audit = createAuditService({ database, auditRepo: auditRepo(), clock: systemClock });
    expect(await audit.verifyChain()).toBeNull();
  });
});
