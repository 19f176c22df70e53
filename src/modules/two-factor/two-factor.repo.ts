import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type {
  LoginChallengesTable,
  TwoFactorEmailCodesTable,
  UserTwoFactorTable,
} from '../../infra/db/schema.js';

export type UserTwoFactorRow = Selectable<UserTwoFactorTable>;
export type LoginChallengeRow = Selectable<LoginChallengesTable>;
export type EmailCodeRow = Selectable<TwoFactorEmailCodesTable>;

const updated = (result: { numUpdatedRows: bigint }) => result.numUpdatedRows > 0n;

/** Queries of the two-factor tables; every function takes the database or an open transaction. */
export function createTwoFactorRepo() {
  return {
    find: (db: Executor, userId: string): Promise<UserTwoFactorRow | undefined> =>
      db.selectFrom('userTwoFactor').selectAll().where('userId', '=', userId).executeTakeFirst(),

    /** Starts (or restarts) an enrolment; refuses (false) when TOTP is already on. */
    async setPending(db: Executor, userId: string, sealed: string, at: string): Promise<boolean> {
      await db
        .insertInto('userTwoFactor')
        .values({
          userId,
          totpSecret: null,
          totpPendingSecret: null,
          totpEnabledAt: null,
          totpLastStep: null,
          updatedAt: at,
        })
        .onConflict((oc) => oc.column('userId').doNothing())
        .execute();
      const result = await db
        .updateTable('userTwoFactor')
        .set({ totpPendingSecret: sealed, updatedAt: at })
        .where('userId', '=', userId)
        .where('totpSecret', 'is', null)
        .executeTakeFirst();
      return updated(result);
    },

    /** The pending secret becomes the account's; `step` is the confirming code's. */
    async enable(
      db: Executor,
      userId: string,
      sealed: string,
      step: number,
      at: string,
    ): Promise<boolean> {
      const result = await db
        .updateTable('userTwoFactor')
        .set({
          totpSecret: sealed,
          totpPendingSecret: null,
          totpEnabledAt: at,
          totpLastStep: step,
          updatedAt: at,
        })
        .where('userId', '=', userId)
        .where('totpSecret', 'is', null)
        .where('totpPendingSecret', '=', sealed)
        .executeTakeFirst();
      return updated(result);
    },

    /**
     * Records `step` as the last accepted one, only when it is later than the stored one: false
     * means another request already used this code (or a later one).
     */
    async acceptStep(db: Executor, userId: string, step: number): Promise<boolean> {
      const result = await db
        .updateTable('userTwoFactor')
        .set({ totpLastStep: step })
        .where('userId', '=', userId)
        .where('totpSecret', 'is not', null)
        .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
        .executeTakeFirst();
      return updated(result);
    },

    /** Turns two-factor sign-in off: secret, backup codes and pending e-mail codes go. */
    async remove(db: Executor, userId: string): Promise<boolean> {
      await db.deleteFrom('twoFactorBackupCodes').where('userId', '=', userId).execute();
      await db.deleteFrom('twoFactorEmailCodes').where('userId', '=', userId).execute();
      const result = await db
        .deleteFrom('userTwoFactor')
        .where('userId', '=', userId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async replaceBackupCodes(
      db: Executor,
      userId: string,
      codes: readonly { id: string; codeHash: string }[],
      at: string,
    ): Promise<void> {
      await db.deleteFrom('twoFactorBackupCodes').where('userId', '=', userId).execute();
      await db
        .insertInto('twoFactorBackupCodes')
        .values(codes.map((code) => ({ ...code, userId, createdAt: at, usedAt: null })))
        .execute();
    },

    /** Uses up the unused code with this hash, in one statement; false when there is none. */
    async useBackupCode(db: Executor, userId: string, codeHash: string, at: string) {
      const result = await db
        .updateTable('twoFactorBackupCodes')
        .set({ usedAt: at })
        .where('userId', '=', userId)
        .where('codeHash', '=', codeHash)
        .where('usedAt', 'is', null)
        .executeTakeFirst();
      return updated(result);
    },

    async countBackupCodesLeft(db: Executor, userId: string): Promise<number> {
      const row = await db
        .selectFrom('twoFactorBackupCodes')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('userId', '=', userId)
        .where('usedAt', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async insertChallenge(db: Executor, row: LoginChallengeRow): Promise<void> {
      await db.insertInto('loginChallenges').values(row).execute();
    },

    findChallenge: (db: Executor, id: string): Promise<LoginChallengeRow | undefined> =>
      db.selectFrom('loginChallenges').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Marks the challenge used, once: false when it was already used (a concurrent request). */
    async useChallenge(db: Executor, id: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('loginChallenges')
        .set({ usedAt: at })
        .where('id', '=', id)
        .where('usedAt', 'is', null)
        .where('expiresAt', '>', at)
        .executeTakeFirst();
      return updated(result);
    },

    /** Challenges that ended more than a day ago (used or not) are of no further use. */
    async deleteChallengesBefore(db: Executor, before: string): Promise<void> {
      await db.deleteFrom('loginChallenges').where('expiresAt', '<', before).execute();
      await db.deleteFrom('twoFactorEmailCodes').where('expiresAt', '<', before).execute();
    },

    /**
     * Takes the challenge's row lock for the rest of the transaction (a write that changes
     * nothing): concurrent e-mail sends for one challenge then count one after the other.
     */
    async lockChallenge(db: Executor, id: string): Promise<void> {
      await db
        .updateTable('loginChallenges')
        .set((eb) => ({ usedAt: eb.ref('usedAt') }))
        .where('id', '=', id)
        .execute();
    },

    /** E-mail codes sent since `since`: for the whole user, and for one challenge. */
    async countEmailSends(db: Executor, userId: string, challengeId: string, since: string) {
      const rows = await db
        .selectFrom('twoFactorEmailCodes')
        .select(['challengeId', 'createdAt'])
        .where('userId', '=', userId)
        .where('createdAt', '>', since)
        .execute();
      const forChallenge = rows.filter((row) => row.challengeId === challengeId);
      return {
        user: rows.length,
        firstForUser: rows.map((row) => row.createdAt).sort()[0] ?? null,
        lastForChallenge:
          forChallenge
            .map((row) => row.createdAt)
            .sort()
            .at(-1) ?? null,
      };
    },

    /** A new code replaces the user's earlier unused ones (the latest mail is the one to use). */
    async insertEmailCode(db: Executor, row: EmailCodeRow): Promise<void> {
      await db
        .updateTable('twoFactorEmailCodes')
        .set({ usedAt: row.createdAt })
        .where('userId', '=', row.userId)
        .where('usedAt', 'is', null)
        .execute();
      await db.insertInto('twoFactorEmailCodes').values(row).execute();
    },

    /** Uses up the user's live code with this hash; false when there is none. */
    async useEmailCode(db: Executor, userId: string, codeHash: string, at: string) {
      const result = await db
        .updateTable('twoFactorEmailCodes')
        .set({ usedAt: at })
        .where('userId', '=', userId)
        .where('codeHash', '=', codeHash)
        .where('usedAt', 'is', null)
        .where('expiresAt', '>', at)
        .executeTakeFirst();
      return updated(result);
    },

    /** After an e-mail that could not be sent: its code never reached anyone. */
    async deleteEmailCode(db: Executor, id: string): Promise<void> {
      await db.deleteFrom('twoFactorEmailCodes').where('id', '=', id).execute();
    },
  };
}

export type TwoFactorRepo = ReturnType<typeof createTwoFactorRepo>;
