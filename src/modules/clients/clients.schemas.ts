import { Type, type Static } from '@sinclair/typebox';
import { PageOf, PaginationQuery } from '../../http/pagination.js';
import { SafeText } from '../../http/schema-helpers.js';
import { PortraitSummarySchema } from '../portraits/portraits.schemas.js';

export const ClientIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const clientFields = {
  id: Type.String(),
  name: Type.String(),
  phone: Type.String({
    description:
      'E.164 (`+79123456789`); a number migration 0013 could not rewrite keeps its old form',
  }),
  email: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  portraitCount: Type.Integer({ minimum: 0 }),
};

export const ClientItemSchema = Type.Object(clientFields);
export type ClientItem = Static<typeof ClientItemSchema>;

export const ClientDetailSchema = Type.Object({
  ...clientFields,
  updatedAt: Type.String({ format: 'date-time' }),
  notes: Type.Union([Type.String(), Type.Null()], {
    description: "The studio's note; null when there is none (`PUT /api/clients/{id}/notes`)",
  }),
  portraits: Type.Array(PortraitSummarySchema, { description: 'Newest first' }),
});
export type ClientDetail = Static<typeof ClientDetailSchema>;

export const ClientListQuery = Type.Object({
  q: Type.Optional(
    SafeText({
      maxLength: 100,
      description:
        'Search: part of the name or of the e-mail (any case), or of the phone in any format ' +
        '("8 912 345-67-89", "+7 912", "345-67")',
    }),
  ),
  ...PaginationQuery,
});
export type ClientListQuery = Static<typeof ClientListQuery>;

export const ClientPage = PageOf(ClientItemSchema);
export type ClientPage = Static<typeof ClientPage>;

export const ClientPatchBody = Type.Object(
  {
    name: Type.Optional(SafeText({ minLength: 1, maxLength: 200 })),
    phone: Type.Optional(
      SafeText({
        minLength: 1,
        maxLength: 40,
        description:
          'Any format ("8 (912) 345-67-89"; read in DEFAULT_PHONE_REGION unless it starts with +), stored E.164',
      }),
    ),
    email: Type.Optional(
      Type.Union([SafeText({ format: 'email', maxLength: 254 }), Type.Null()], {
        description: 'null clears it',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ClientPatchBody = Static<typeof ClientPatchBody>;

export const PhoneCollisionsSchema = Type.Object({
  groups: Type.Array(
    Type.Object({
      phone: Type.String({ description: 'The number (E.164) these clients share' }),
      holder: Type.Object(clientFields, { description: 'The client stored with this number' }),
      duplicates: Type.Array(Type.Object(clientFields), {
        description: 'Clients with the same number in an older form, oldest first',
      }),
    }),
  ),
});
export type PhoneCollisions = Static<typeof PhoneCollisionsSchema>;

export const ClientMergeBody = Type.Object(
  { intoId: Type.String({ format: 'uuid', description: 'The client that stays' }) },
  { additionalProperties: false },
);
export type ClientMergeBody = Static<typeof ClientMergeBody>;
