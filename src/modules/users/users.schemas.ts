import { Type, type Static } from '@sinclair/typebox';

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.Literal('admin'), Type.Literal('operator')]),
    disabled: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User', title: 'User' },
);

export type PublicUser = Static<typeof UserSchema>;

/** A user in the admin's list: the User and whether two-factor sign-in is on. */
export const UserListItem = Type.Object(
  {
    ...UserSchema.properties,
    twoFactorEnabled: Type.Boolean({ description: 'TOTP two-factor sign-in is on' }),
  },
  { title: 'UserListItem' },
);

/** A `$ref` to the shared User schema (registered once on the app), typed as a User. */
export const UserRef = Type.Unsafe<Static<typeof UserSchema>>(Type.Ref('User'));

/** A language of the admin app. */
export const AccountLocale = Type.Union([Type.Literal('ru'), Type.Literal('en')]);

/** The language to show and where it came from (see `resolveLocale`). */
export const ResolvedLocaleFields = {
  locale: AccountLocale,
  localeSource: Type.Union(
    [Type.Literal('account'), Type.Literal('browser'), Type.Literal('default')],
    {
      description:
        '`account`: the saved choice; `browser`: the best of `Accept-Language`; ' +
        "`default`: the server's `DEFAULT_LOCALE`",
    },
  ),
};
