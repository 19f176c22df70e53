/**
 * A process to kill: creates a user through the real users service on the database given as
 * JSON in argv[2], and stops where argv[3] says, printing a line and waiting to be killed:
 * - `before-entry`: the user row is written in the open transaction, its audit entry not yet
 *   (`change-written`);
 * - `after-entry`: both are written, the transaction is not committed (`entry-written`);
 * - `after-commit`: the service call returned (`committed <user id>`).
 * Run with `node --import tsx test/support/audit-crash-child.ts <config> <stop> <username>`.
 */
import type { DatabaseConfig } from '../../src/config.js';
import { createDatabase } from '../../src/infra/db/database.js';
import { createAuditRepo, type AuditRepo } from '../../src/modules/audit/audit.repo.js';
import { createAuditService } from '../../src/modules/audit/audit.service.js';
import { createPasswordHasher } from '../../src/modules/auth/password.js';
import { createSessionsRepo } from '../../src/modules/auth/sessions.repo.js';
import { createUsersRepo } from '../../src/modules/users/users.repo.js';
import { createUsersService } from '../../src/modules/users/users.service.js';
import { systemClock } from '../../src/shared/clock.js';

export type CrashPoint = 'before-entry' | 'after-entry' | 'after-commit';

const [configJson = '', stop = '', username = ''] = process.argv.slice(2);
const config = JSON.parse(configJson) as DatabaseConfig;

/** Tells the test where we are, then keeps the process (and its open transaction) alive. */
function hold(line: string): Promise<never> {
  process.stdout.write(`${line}\n`);
  setInterval(() => undefined, 60_000);
  return new Promise<never>(() => undefined);
}

const database = createDatabase(config);
const auditRepo = createAuditRepo(database.dialect);
const pausing: AuditRepo = {
  ...auditRepo,
  // The first step of an append: the change before it is already written.
  async lockChain(trx) {
    if (stop === 'before-entry') await hold('change-written');
    await auditRepo.lockChain(trx);
  },
  async insert(db, row) {
    await auditRepo.insert(db, row);
    if (stop === 'after-entry') await hold('entry-written');
  },
};
const users = createUsersService({
  database,
  users: createUsersRepo(),
  sessions: createSessionsRepo(),
  hasher: createPasswordHasher(4),
  audit: createAuditService({ database, auditRepo: pausing, clock: systemClock }),
  clock: systemClock,
});

const user = await users.createUser({
  username,
  password: 'crash-test-password',
  role: 'operator',
});
await hold(`committed ${user.id}`);
