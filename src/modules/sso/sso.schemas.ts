import { Type } from '@sinclair/typebox';

export const ProviderParams = Type.Object(
  { provider: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }) },
  { additionalProperties: false },
);

export const ProvidersResponse = Type.Object({
  providers: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      kind: Type.Union([Type.Literal('oidc'), Type.Literal('github')]),
    }),
  ),
});

/** What the provider appends to the redirect URI (`code`, `state`, `iss`, or `error`). */
const CallbackParam = Type.Optional(Type.String({ maxLength: 4096 }));

/**
 * What a provider sends back. Open to more fields: providers add their own (`session_state`,
 * `scope`…), and the whole query goes to the token check as the provider sent it.
 */
export const CallbackQuery = Type.Object(
  {
    code: CallbackParam,
    state: CallbackParam,
    iss: CallbackParam,
    error: CallbackParam,
    error_description: CallbackParam,
  },
  { additionalProperties: Type.String({ maxLength: 4096 }) },
);

export const Redirect = Type.Null({ description: 'A redirect (Location) to the admin app' });

export const LinkResponse = Type.Object({
  url: Type.String({ description: "The provider's sign-in page: navigate the browser there" }),
});

export const LinksResponse = Type.Object({
  links: Type.Array(
    Type.Object({
      provider: Type.String(),
      label: Type.String(),
      email: Type.Union([Type.String(), Type.Null()]),
      linkedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  passwordLoginEnabled: Type.Boolean(),
});

export const PasswordLoginBody = Type.Object(
  { enabled: Type.Boolean() },
  { additionalProperties: false },
);
