import { Type, type Static } from '@sinclair/typebox';

export const StudioLogoSchema = Type.Object(
  {
    url: Type.String({
      description: 'Same-origin path of the PNG, versioned (`?v=`) so it changes with the logo',
    }),
    width: Type.Integer(),
    height: Type.Integer(),
    sizeBytes: Type.Integer(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'StudioLogo' },
);

export type StudioLogo = Static<typeof StudioLogoSchema>;

export const StudioLogoState = Type.Object({
  logo: Type.Union([StudioLogoSchema, Type.Null()], {
    description: 'null when the studio has no uploaded logo',
  }),
});

/** Documents the multipart body (validated while it streams, not by Ajv). */
export const LogoUploadBody = Type.Object({
  logo: Type.String({
    format: 'binary',
    description: 'PNG, JPEG or WebP; stored re-encoded as a PNG of at most 512 px, no metadata',
  }),
});

export const LogoFileQuery = Type.Object({
  v: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'The version from the logo URL: with the current one the answer is immutable',
    }),
  ),
});
