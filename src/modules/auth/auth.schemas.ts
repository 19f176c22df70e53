import { Type } from '@sinclair/typebox';
import { SafeText } from '../../http/schema-helpers.js';
import { ResolvedLocaleFields, UserRef } from '../users/users.schemas.js';

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
  ...ResolvedLocaleFields,
});

export const MeResponse = Type.Object({
  user: UserRef,
  csrfToken: Type.String(),
  session: Type.Object({
    id: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
    idleTimeoutMinutes: Type.Integer(),
  }),
  ...ResolvedLocaleFields,
});

/** `GET /api/locale`: the language for a visitor not signed in (the login page). */
export const LocaleResponse = Type.Object({
  locale: ResolvedLocaleFields.locale,
  localeSource: Type.Union([Type.Literal('browser'), Type.Literal('default')]),
});
