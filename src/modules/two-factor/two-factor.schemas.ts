import { Type } from '@sinclair/typebox';

const Code = Type.String({
  minLength: 6,
  maxLength: 16,
  description: 'The 6-digit code from the authenticator app (a backup code is taken too)',
});

export const ChallengeField = Type.String({ minLength: 20, maxLength: 100 });

/** `POST /api/auth/login/2fa`: the challenge and exactly one of the three kinds of code. */
export const SecondFactorBody = Type.Object(
  {
    challenge: ChallengeField,
    code: Type.Optional(
      Type.String({ minLength: 6, maxLength: 16, description: 'TOTP code from the app' }),
    ),
    backupCode: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 16,
        description: 'One of the backup codes, `xxxxx-xxxxx`',
      }),
    ),
    emailCode: Type.Optional(
      Type.String({ minLength: 6, maxLength: 16, description: 'The 6-digit code from the e-mail' }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 2,
    maxProperties: 2,
    description: '`challenge` and exactly one of `code`, `backupCode`, `emailCode`',
  },
);

export const EmailCodeBody = Type.Object(
  { challenge: ChallengeField },
  { additionalProperties: false },
);

export const EmailCodeSent = Type.Object({
  sentTo: Type.String({ description: 'The address, masked: `a***@example.com`' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const TwoFactorStatusResponse = Type.Object({
  totpEnabled: Type.Boolean(),
  backupCodesRemaining: Type.Integer({ minimum: 0 }),
  emailAvailable: Type.Boolean({
    description: 'A code can be e-mailed at sign-in (SMTP set up and the account has an address)',
  }),
  required: Type.Boolean({ description: '`REQUIRE_2FA` applies to this account' }),
  enrolmentRequired: Type.Boolean({ description: 'This session may only enrol' }),
});

export const TotpSetupResponse = Type.Object({
  secret: Type.String({ description: 'Base32, for typing into the app by hand' }),
  otpauthUrl: Type.String({ description: '`otpauth://totp/…`' }),
  qrSvg: Type.String({ description: 'The URL as a QR code, an SVG document' }),
});

export const CodeBody = Type.Object({ code: Code }, { additionalProperties: false });

export const DisableBody = Type.Object(
  {
    password: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        description: 'Required unless the password login of the account is off (SSO only)',
      }),
    ),
    code: Code,
  },
  { additionalProperties: false },
);

export const BackupCodesResponse = Type.Object({
  backupCodes: Type.Array(Type.String(), {
    minItems: 10,
    maxItems: 10,
    description: 'Shown this once: only their hashes are kept',
  }),
});
