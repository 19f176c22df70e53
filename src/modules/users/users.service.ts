import { randomBytes } from 'node:crypto';
import type { Database } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { Role, UserLocale } from '../../infra/db/schema.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { PasswordHasher } from '../auth/password.js';
import { assertPasswordPolicy } from '../auth/password-policy.js';
import type { SessionsRepo } from '../auth/sessions.repo.js';
import type { UserRow, UsersRepo } from './users.repo.js';
import type { PublicUser } from './users.schemas.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role,
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt,
  };
}

/** Usernames are case-insensitive: stored and looked up in lower case. */
export const normaliseUsername = (username: string): string => username.trim().toLowerCase();

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  email?: string | null;
}

interface Deps {
  database: Database;
  users: UsersRepo;
  sessions: SessionsRepo;
  hasher: PasswordHasher;
  audit: AuditService;
  clock: Clock;
}

/**
 * User accounts. Each change and its audit entry are written in one transaction: both commit or
 * neither does. Passwords are hashed before the transaction opens (bcrypt is slow).
 */
export function createUsersService({ database, users, sessions, hasher, audit, clock }: Deps) {
  const { db } = database;

  /** Every password set goes through the policy (length, common list, username). */
  function checkPassword(password: string, username: string, field = 'password'): void {
    assertPasswordPolicy(password, username, field);
  }

  /** `actor`: the admin who creates the account, or null for the CLI and the first start. */
  async function createUser(input: NewUser, actor: Actor | null = null): Promise<PublicUser> {
    const username = normaliseUsername(input.username);
    if (!USERNAME_PATTERN.test(username)) {
      throw new AppError(
        'invalid_username',
        400,
        'username must be 3-64 characters: letters, digits, dot, dash or underscore',
      );
    }
    checkPassword(input.password, username);
    if ((await users.findByUsername(db, username)) !== undefined) {
      throw new AppError('username_taken', 409, `username "${username}" is already taken`);
    }
    const now = clock.now().toISOString();
    const row: UserRow = {
      id: uuidv7(),
      username,
      email: input.email?.trim().toLowerCase() ?? null,
      passwordHash: await hasher.hash(input.password),
      role: input.role,
      disabledAt: null,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
      locale: null,
      passwordLoginDisabled: 0,
    };
    try {
      await database.transaction(async (trx) => {
        await users.insert(trx, row);
        await audit.record(
          {
            action: 'user.create',
            ...(actor === null ? {} : byActor(actor)),
            targetType: 'user',
            targetId: row.id,
            details: { username, role: row.role },
          },
          trx,
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('username_taken', 409, `username "${username}" is already taken`);
      }
      throw error;
    }
    return toPublicUser(row);
  }

  /** Sets a new password and revokes every session of that user. */
  async function setPassword(
    usernameInput: string,
    password: string,
    actorUserId: string | null = null,
  ): Promise<PublicUser> {
    const user = await users.findByUsername(db, normaliseUsername(usernameInput));
    if (user === undefined) throw new AppError('not_found', 404, 'user not found');
    checkPassword(password, user.username);
    const passwordHash = await hasher.hash(password);
    const now = clock.now().toISOString();
    await database.transaction(async (trx) => {
      await users.updatePassword(trx, user.id, passwordHash, now);
      await sessions.revokeAllForUser(trx, user.id, now);
      await audit.record(
        { action: 'user.set_password', actorUserId, targetType: 'user', targetId: user.id },
        trx,
      );
    });
    return toPublicUser(user);
  }

  /**
   * On first start (no user at all) creates the first admin: from ADMIN_USERNAME /
   * ADMIN_PASSWORD when given, else `admin` with a generated password returned once so the
   * caller can print it. Never creates anything when a user exists.
   */
  async function ensureFirstAdmin(configured: {
    username: string | undefined;
    password: string | undefined;
  }): Promise<{ username: string; generatedPassword?: string } | null> {
    if ((await users.count(db)) > 0) return null;
    const generatedPassword =
      configured.password === undefined ? randomBytes(15).toString('base64url') : undefined;
    try {
      const user = await createUser({
        username: configured.username ?? 'admin',
        password: configured.password ?? generatedPassword ?? '',
        role: 'admin',
      });
      return generatedPassword === undefined
        ? { username: user.username }
        : { username: user.username, generatedPassword };
    } catch (error) {
      // Another instance starting at the same moment created it first.
      if (error instanceof AppError && error.code === 'username_taken') return null;
      throw error;
    }
  }

  const listUsers = async (): Promise<(PublicUser & { twoFactorEnabled: boolean })[]> =>
    (await users.listWithTwoFactor(db)).map((user) => ({
      ...toPublicUser(user),
      twoFactorEnabled: user.twoFactorEnabled,
    }));

  async function requireUser(id: string): Promise<UserRow> {
    const user = await users.findById(db, id);
    if (user === undefined) throw new AppError('not_found', 404, 'user not found');
    return user;
  }

  /**
   * Enables/disables a user or changes their role (admin only). Disabling revokes every session
   * of the user. An admin cannot disable or demote themselves, so an admin always remains.
   */
  async function updateUser(
    id: string,
    changes: { disabled?: boolean; role?: Role },
    actor: Actor,
  ): Promise<PublicUser> {
    const user = await requireUser(id);
    const disable = changes.disabled === true && user.disabledAt === null;
    const enable = changes.disabled === false && user.disabledAt !== null;
    const role = changes.role !== undefined && changes.role !== user.role ? changes.role : null;
    if (id === actor.userId && (disable || role !== null)) {
      throw new AppError(
        'cannot_change_self',
        409,
        'you cannot disable yourself or change your own role: ask another admin',
      );
    }
    if (!disable && !enable && role === null) return toPublicUser(user);
    const now = clock.now().toISOString();
    const update = {
      ...(role === null ? {} : { role }),
      ...(disable ? { disabledAt: now } : {}),
      ...(enable ? { disabledAt: null } : {}),
    };
    await database.transaction(async (trx) => {
      await users.update(trx, id, update, now);
      if (disable) await sessions.revokeAllForUser(trx, id, now);
      await audit.record(
        {
          action: 'user.update',
          ...byActor(actor),
          targetType: 'user',
          targetId: id,
          details: {
            ...(role === null ? {} : { role: { from: user.role, to: role } }),
            ...(disable ? { disabled: true } : {}),
            ...(enable ? { disabled: false } : {}),
          },
        },
        trx,
      );
    });
    return toPublicUser({ ...user, ...update, updatedAt: now });
  }

  /** An admin sets a new password for a user; every session of that user is revoked. */
  async function resetPassword(id: string, password: string, actor: Actor): Promise<void> {
    const user = await requireUser(id);
    checkPassword(password, user.username);
    const passwordHash = await hasher.hash(password);
    const now = clock.now().toISOString();
    await database.transaction(async (trx) => {
      await users.updatePassword(trx, id, passwordHash, now);
      await sessions.revokeAllForUser(trx, id, now);
      await audit.record(
        { action: 'user.reset_password', ...byActor(actor), targetType: 'user', targetId: id },
        trx,
      );
    });
  }

  /**
   * A logged-in user changes their own password, proving the current one. Their other sessions
   * are revoked; the one making the change stays logged in.
   */
  async function changeOwnPassword(
    self: Actor & { sessionId: string },
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await requireUser(self.userId);
    const event = { ...byActor(self), targetType: 'user', targetId: user.id };
    if (!(await hasher.verify(currentPassword, user.passwordHash))) {
      // A refused attempt changes nothing: its entry gets a transaction of its own.
      await audit.record({ action: 'auth.password_change_failed', ...event });
      throw new AppError('invalid_credentials', 401, 'the current password is wrong');
    }
    checkPassword(newPassword, user.username, 'newPassword');
    const passwordHash = await hasher.hash(newPassword);
    const now = clock.now().toISOString();
    await database.transaction(async (trx) => {
      await users.updatePassword(trx, user.id, passwordHash, now);
      await sessions.revokeOthersOfUser(trx, user.id, self.sessionId, now);
      await audit.record({ action: 'auth.password_change', ...event }, trx);
    });
  }

  /**
   * A signed-in user saves the admin app's language on their account (null: forget it, the
   * browser decides again). Unchanged: nothing is written or audited.
   */
  async function setOwnLocale(self: Actor, locale: UserLocale | null): Promise<void> {
    const user = await requireUser(self.userId);
    if (user.locale === locale) return;
    const now = clock.now().toISOString();
    await database.transaction(async (trx) => {
      await users.updateLocale(trx, user.id, locale, now);
      await audit.record(
        {
          action: 'user.locale_change',
          ...byActor(self),
          targetType: 'user',
          targetId: user.id,
          details: { from: user.locale, to: locale },
        },
        trx,
      );
    });
  }

  return {
    createUser,
    setPassword,
    ensureFirstAdmin,
    listUsers,
    updateUser,
    resetPassword,
    changeOwnPassword,
    setOwnLocale,
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
