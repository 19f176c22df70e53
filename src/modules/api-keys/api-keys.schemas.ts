import { Type, type Static } from '@sinclair/typebox';
import { SafeText } from '../../http/schema-helpers.js';

const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('operator')]);
const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const CreateApiKeyBody = Type.Object(
  {
    name: SafeText({
      minLength: 1,
      maxLength: 100,
      description: 'What the key is for, e.g. "n8n orders import"',
    }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('operator')], {
      description: "The key's role; never above the creator's own (403 `forbidden`)",
    }),
    expiresAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'Optional end of validity (future)' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateApiKeyInput = Static<typeof CreateApiKeyBody>;

/** A key as lists show it: never the key itself or its hash. */
export const ApiKeySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  role: RoleSchema,
  createdBy: Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String() }),
  createdAt: Timestamp,
  expiresAt: NullableTimestamp,
  lastUsedAt: NullableTimestamp,
  lastUsedIp: Type.Union([Type.String(), Type.Null()]),
  revokedAt: NullableTimestamp,
});
export type ApiKeyView = Static<typeof ApiKeySchema>;

export const CreatedApiKeySchema = Type.Intersect([
  ApiKeySchema,
  Type.Object({
    key: Type.String({
      description: 'The key, `vxk_…`: shown only in this answer. Send as `Authorization: Bearer`.',
    }),
  }),
]);
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;

export const ApiKeyListSchema = Type.Object({ items: Type.Array(ApiKeySchema) });
export type ApiKeyList = Static<typeof ApiKeyListSchema>;

export const ApiKeyIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
