import { processingStatus, SafeText } from '../../http/schema-helpers.js';
import { Type, type Static } from '@sinclair/typebox';
import { PageOf, PaginationQuery } from '../../http/pagination.js';

/** Documents the optional `Idempotency-Key` of `POST /api/orders` (checked by the route). */
export const OrderUploadHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[!-~]+$',
      description:
        'Any printable ASCII, unique per order you mean (e.g. a UUID); the same key again answers the first 202',
    }),
  ),
});

/** Documents the multipart body (validated by the streaming receiver, not by Ajv). */
export const OrderUploadBody = Type.Object({
  clientName: SafeText({ maxLength: 200, description: 'Client name' }),
  clientPhone: SafeText({
    maxLength: 40,
    description: 'Phone; normalised, identifies the client',
  }),
  clientEmail: Type.Optional(SafeText({ maxLength: 254, format: 'email' })),
  portrait: Type.String({
    format: 'binary',
    description: 'Portrait photo: JPEG, PNG, WebP or HEIC',
  }),
  video: Type.String({ format: 'binary', description: 'Video: MP4, MOV or WebM' }),
});

export const OrderAccepted = Type.Object({
  order: Type.Object({
    id: Type.String(),
    number: Type.String(),
    status: Type.Literal('processing'),
  }),
  client: Type.Object({
    id: Type.String(),
    name: Type.String(),
    phone: Type.String(),
    created: Type.Boolean({ description: 'false when an existing client was found by phone' }),
  }),
  portrait: Type.Object({
    id: Type.String(),
    slug: Type.String(),
    status: Type.Literal('processing'),
    publicUrl: Type.String({ format: 'uri' }),
  }),
  video: Type.Object({
    id: Type.String(),
    status: Type.Literal('processing'),
    active: Type.Literal(true),
  }),
});
export type OrderAccepted = Static<typeof OrderAccepted>;

const Status = processingStatus();

export const OrderIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const IsoDate = (description: string) =>
  Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], {
    description,
  });

/** The list's filters without paging: `GET /api/orders` and its CSV export take them. */
export const orderFilterFields = {
  q: Type.Optional(
    SafeText({
      maxLength: 100,
      description:
        "Search: part of the order number (`VA-000042`, or just `42`), of the client's name " +
        '(any case, Cyrillic too, ё = е), or of the phone (only its digits are compared; a ' +
        'whole number in any format, e.g. `8 912 345-67-89`, also matches its stored form)',
    }),
  ),
  status: Type.Optional(Status),
  from: Type.Optional(
    IsoDate('Created at or after: an ISO date (from its start, UTC) or date-time'),
  ),
  to: Type.Optional(IsoDate('Created at or before: an ISO date (up to its end, UTC) or date-time')),
};
export const OrderFilterQuery = Type.Object(orderFilterFields);
export type OrderFilterQuery = Static<typeof OrderFilterQuery>;

export const OrderListQuery = Type.Object({ ...orderFilterFields, ...PaginationQuery });
export type OrderListQuery = Static<typeof OrderListQuery>;

const orderFields = {
  id: Type.String(),
  number: Type.String({ description: 'Human-friendly, e.g. VA-000042' }),
  status: processingStatus({ description: "The portrait's processing status" }),
  createdAt: Type.String({ format: 'date-time' }),
  client: Type.Object({ id: Type.String(), name: Type.String(), phone: Type.String() }),
  portrait: Type.Object({
    id: Type.String(),
    slug: Type.String(),
    status: Status,
    publicUrl: Type.String({ format: 'uri' }),
    thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
  }),
};

export const OrderItemSchema = Type.Object(orderFields);
export type OrderItem = Static<typeof OrderItemSchema>;

export const OrderDetailSchema = Type.Object({
  ...orderFields,
  createdBy: Type.Union([Type.String(), Type.Null()], {
    description: 'Username of who took the order; null when that user was deleted',
  }),
  notes: Type.Union([Type.String(), Type.Null()], {
    description: "The studio's note; null when there is none (`PUT /api/orders/{id}/notes`)",
  }),
});
export type OrderDetail = Static<typeof OrderDetailSchema>;

export const OrderPage = PageOf(OrderItemSchema);
export type OrderPage = Static<typeof OrderPage>;
