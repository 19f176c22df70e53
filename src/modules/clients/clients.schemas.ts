import { Type, type Static } from '@sinclair/typebox';
import { PageOf, PaginationQuery } from '../../http/pagination.js';
import { SafeText } from '../../http/schema-helpers.js';
import { PortraitSummarySchema } from '../portraits/portraits.schemas.js';

export const ClientIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const clientFields = {
  id: Type.String(),
  name: Type.String(),
  phone: Type.String({ description: 'Normalised: digits, with a leading + when international' }),
  email: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  portraitCount: Type.Integer({ minimum: 0 }),
};

export const ClientItemSchema = Type.Object(clientFields);
export type ClientItem = Static<typeof ClientItemSchema>;

export const ClientDetailSchema = Type.Object({
  ...clientFields,
  updatedAt: Type.String({ format: 'date-time' }),
  portraits: Type.Array(PortraitSummarySchema, { description: 'Newest first' }),
});
export type ClientDetail = Static<typeof ClientDetailSchema>;

export const ClientListQuery = Type.Object({
  q: Type.Optional(
    SafeText({
      maxLength: 100,
      description:
        'Search: part of the name (any case), or part of the phone (only its digits are compared)',
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
      SafeText({ minLength: 1, maxLength: 40, description: 'Normalised before it is stored' }),
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
