import { randomBytes } from 'node:crypto';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { Role } from '../../infra/db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import { passwordProblem, type PasswordHasher } from '../auth/password.js';
import type { SessionsRepo } from '../auth/sessions.repo.js';
import type { UserRow, UsersRepo } from './users.repo.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export interface PublicUser {
  id: string;
  username: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

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
  users: UsersRepo;
  sessions: SessionsRepo;
  hasher: PasswordHasher;
  audit: AuditService;
  clock: Clock;
}

export function createUsersService({ users, sessions, hasher, audit, clock }: Deps) {
  function checkPassword(password: string): void {
    const problem = passwordProblem(password);
    if (problem !== null) throw new AppError('weak_password', 400, problem);
  }

  async function createUser(
    input: NewUser,
    actorUserId: string | null = null,
  ): Promise<PublicUser> {
    const username = normaliseUsername(input.username);
    if (!USERNAME_PATTERN.test(username)) {
      throw new AppError(
        'invalid_username',
        400,
        'username must be 3-64 characters: letters, digits, dot, dash or underscore',
      );
    }
    checkPassword(input.password);
    if ((await users.findByUsername(username)) !== undefined) {
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
    };
    try {
      await users.insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('username_taken', 409, `username "${username}" is already taken`);
      }
      throw error;
    }
    await audit.record({
      action: 'user.create',
      actorUserId,
      targetType: 'user',
      targetId: row.id,
      details: { username, role: row.role },
    });
    return toPublicUser(row);
  }

  /** Sets a new password and revokes every session of that user. */
  async function setPassword(
    usernameInput: string,
    password: string,
    actorUserId: string | null = null,
  ): Promise<PublicUser> {
    checkPassword(password);
    const user = await users.findByUsername(normaliseUsername(usernameInput));
    if (user === undefined) throw new AppError('not_found', 404, 'user not found');
    const now = clock.now().toISOString();
    await users.updatePassword(user.id, await hasher.hash(password), now);
    await sessions.revokeAllForUser(user.id, now);
    await audit.record({
      action: 'user.set_password',
      actorUserId,
      targetType: 'user',
      targetId: user.id,
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
    if ((await users.count()) > 0) return null;
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

  const listUsers = async (): Promise<PublicUser[]> => (await users.list()).map(toPublicUser);

  return { createUser, setPassword, ensureFirstAdmin, listUsers };
}

export type UsersService = ReturnType<typeof createUsersService>;
