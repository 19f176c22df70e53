import type { Config } from './config.js';
import { createDatabase, type Database } from './infra/db/database.js';
import { createStorage, type Storage } from './infra/storage/index.js';
import { resolveSessionSecret } from './infra/session-secret.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthGuard } from './modules/auth/auth.guard.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createPasswordHasher } from './modules/auth/password.js';
import { createSessionsRepo } from './modules/auth/sessions.repo.js';
import { createTokenService } from './modules/auth/tokens.js';
import { createUsersRepo } from './modules/users/users.repo.js';
import { createUsersService } from './modules/users/users.service.js';
import { systemClock, type Clock } from './shared/clock.js';

/**
 * The composition root: builds every adapter and service once, from the config. Routes, jobs
 * and the CLI receive this object; tests build it with their own database, storage or clock.
 */
export function createContext(
  config: Config,
  overrides: { database?: Database; storage?: Storage; clock?: Clock } = {},
) {
  const database = overrides.database ?? createDatabase(config.database);
  const storage = overrides.storage ?? createStorage(config.storage);
  const clock = overrides.clock ?? systemClock;
  const sessionSecret = resolveSessionSecret(config.sessionSecret, config.dataDir);

  const usersRepo = createUsersRepo(database);
  const sessionsRepo = createSessionsRepo(database);
  const hasher = createPasswordHasher(config.bcryptCost);
  const tokens = createTokenService(sessionSecret);
  const audit = createAuditService(database, clock);
  const users = createUsersService({
    users: usersRepo,
    sessions: sessionsRepo,
    hasher,
    audit,
    clock,
  });
  const auth = createAuthService({
    users: usersRepo,
    sessions: sessionsRepo,
    hasher,
    tokens,
    audit,
    clock,
    settings: {
      sessionTimeoutMinutes: config.sessionTimeoutMinutes,
      sessionMaxHours: config.sessionMaxHours,
    },
  });

  return {
    config,
    database,
    storage,
    clock,
    services: { audit, users, auth, tokens, requireRole: createAuthGuard(auth, tokens) },
    async close(): Promise<void> {
      await database.destroy();
    },
  };
}

export type AppContext = ReturnType<typeof createContext>;
