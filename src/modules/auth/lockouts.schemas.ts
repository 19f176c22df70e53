import { Type, type Static } from '@sinclair/typebox';

export const LockoutSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  scope: Type.Union([Type.Literal('ip'), Type.Literal('account')], {
    description:
      '`ip`: this account from this IP is locked (423). `account`: the hourly ceiling of ' +
      'failures from all IPs was reached; IPs the user has not logged in from get 429.',
  }),
  username: Type.Union([Type.String(), Type.Null()], {
    description: 'null when the typed name names no user (see `account`)',
  }),
  account: Type.Union([Type.String(), Type.Null()], {
    description: '`unknown:<keyed hash>` of a typed name that names no user; null for a user',
  }),
  ip: Type.Union([Type.String(), Type.Null()], { description: 'null for scope `account`' }),
  failures: Type.Integer(),
  lastFailureAt: Type.String({ format: 'date-time' }),
  lockedUntil: Type.String({ format: 'date-time' }),
});

export type Lockout = Static<typeof LockoutSchema>;

export const LockoutList = Type.Object({ items: Type.Array(LockoutSchema) });
export const LockoutIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
