import { Type } from '@sinclair/typebox';
import { SafeText } from '../../http/schema-helpers.js';
import { UserRef } from '../users/users.schemas.js';

export const LoginBody = Type.Object(
  {
    username: SafeText({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const LoginResponse = Type.Object({
  user: UserRef,
  accessToken: Type.String({ description: 'JWT for `Authorization: Bearer`' }),
  csrfToken: Type.String({
    description: 'Send as `x-csrf-token` on unsafe requests authenticated by the session cookie',
  }),
  expiresAt: Type.String({ format: 'date-time', description: 'Absolute end of the session' }),
});

export const MeResponse = Type.Object({
  user: UserRef,
  csrfToken: Type.String(),
  session: Type.Object({
    id: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
    idleTimeoutMinutes: Type.Integer(),
  }),
});
