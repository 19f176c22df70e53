import { Type, type Static } from '@sinclair/typebox';
import { PageOf, PaginationQuery } from '../../http/pagination.js';
import { Nullable, SafeText } from '../../http/schema-helpers.js';

/** `user.create`, `portrait.marker.regenerate`: lower-case words joined by dots. */
const ACTION = '[a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*';

export const AuditListQuery = Type.Object(
  {
    actor: Type.Optional(
      SafeText({
        minLength: 1,
        maxLength: 64,
        description:
          'Who acted: a user id (UUID) or a username. Actions done with an API key count as ' +
          "its creator's.",
      }),
    ),
    action: Type.Optional(
      Type.String({
        pattern: `^${ACTION}(?:\\.\\*)?$`,
        maxLength: 100,
        description: 'An action (`user.create`), or every action of an area (`auth.*`)',
      }),
    ),
    entityType: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_]*$',
        maxLength: 40,
        description: 'What was acted on: `user`, `session`, `api_key`, `client`, `portrait`, …',
      }),
    ),
    entityId: Type.Optional(
      SafeText({ minLength: 1, maxLength: 200, description: "The entity's id" }),
    ),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'Entries at or after this time' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'Entries at or before this time' }),
    ),
    ...PaginationQuery,
  },
  // A mistyped filter must not silently show the whole log.
  { additionalProperties: false },
);
export type AuditListQuery = Static<typeof AuditListQuery>;

const ActorSchema = Type.Object({
  kind: Type.Union(
    [
      Type.Literal('user'),
      Type.Literal('api_key'),
      Type.Literal('anonymous'),
      Type.Literal('system'),
    ],
    {
      description:
        '`user`: a signed-in person; `api_key`: an integration with a key (`userId` is its ' +
        'creator); `anonymous`: nobody signed in (e.g. a failed login); `system`: the server ' +
        'itself (jobs, the command line)',
    },
  ),
  userId: Nullable(Type.String()),
  username: Nullable(Type.String({ description: 'null when the user no longer exists' })),
  apiKeyId: Nullable(Type.String()),
  apiKeyName: Nullable(Type.String()),
});

export const AuditEntrySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  seq: Type.Integer({ minimum: 1, description: 'Position in the hash chain' }),
  at: Type.String({ format: 'date-time' }),
  actor: ActorSchema,
  action: Type.String({ description: 'e.g. `user.create`, `auth.login_failed`' }),
  entity: Nullable(
    Type.Object({ type: Type.String(), id: Nullable(Type.String()) }, { description: 'Acted on' }),
  ),
  ip: Nullable(Type.String({ description: 'The client address the action came from' })),
  details: Nullable(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'What the action recorded; secret-looking fields are shown as `[redacted]`',
    }),
  ),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const AuditPage = PageOf(AuditEntrySchema);
export type AuditPage = Static<typeof AuditPage>;

export const AuditVerifySchema = Type.Union([
  Type.Object({
    ok: Type.Literal(true),
    checked: Type.Integer({ minimum: 0, description: 'Entries checked: all of them' }),
    lastSeq: Nullable(Type.Integer()),
    lastHash: Nullable(
      Type.String({
        description:
          'Hash of the newest entry. Keep a copy elsewhere: removing the newest entries leaves ' +
          'a valid but shorter chain, which only a kept hash reveals.',
      }),
    ),
  }),
  Type.Object({
    ok: Type.Literal(false),
    checked: Type.Integer({ minimum: 0, description: 'Entries that matched before the break' }),
    firstBrokenId: Type.String(),
    firstBrokenSeq: Type.Integer(),
    at: Type.String({ format: 'date-time', description: 'When the broken entry says it was' }),
    reason: Type.Union([Type.Literal('edited'), Type.Literal('unlinked')], {
      description:
        '`edited`: its content no longer matches its hash; `unlinked`: it does not follow the ' +
        'entry before it (one was removed or inserted, or its hash recomputed)',
    }),
  }),
]);
export type AuditVerifyResult = Static<typeof AuditVerifySchema>;
