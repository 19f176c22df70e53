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
  enrolmentRequired: Type.Boolean({
    description:
      'The two-factor policy (`REQUIRE_2FA`) applies and the account has no second factor yet: ' +
      'the session can only enrol (`two_factor_enrolment_required` elsewhere)',
  }),
  ...ResolvedLocaleFields,
});

export const SecondFactorMethodSchema = Type.Union([
  Type.Literal('totp'),
  Type.Literal('backup_code'),
  Type.Literal('email'),
]);

/** The password (or SSO) step succeeded; a second factor completes it (`POST /api/auth/login/2fa`). */
export const TwoFactorChallengeResponse = Type.Object({
  twoFactorRequired: Type.Literal(true),
  challenge: Type.String({ description: 'Single use, bound to this client, for 5 minutes' }),
  methods: Type.Array(SecondFactorMethodSchema),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const LoginOrChallengeResponse = Type.Union([LoginResponse, TwoFactorChallengeResponse]);

export const MeResponse = Type.Object({
  user: UserRef,
  csrfToken: Type.String(),
  session: Type.Object({
    id: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
    idleTimeoutMinutes: Type.Integer(),
  }),
  enrolmentRequired: Type.Boolean({
    description: 'This session may only enrol a second factor (see `REQUIRE_2FA`)',
  }),
  ...ResolvedLocaleFields,
});

/** `GET /api/locale`: the language for a visitor not signed in (the login page). */
export const LocaleResponse = Type.Object({
  locale: ResolvedLocaleFields.locale,
  localeSource: Type.Union([Type.Literal('browser'), Type.Literal('default')]),
});
