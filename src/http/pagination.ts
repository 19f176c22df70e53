import { Type, type TSchema } from '@sinclair/typebox';

/** `limit` (1–100, default 20) and `offset` of every list route. */
export const PaginationQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size' }),
  offset: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    default: 0,
    description: 'Items to skip',
  }),
};

/** A page of a list: the items (in a stable order), the total matching, and the page asked. */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ minimum: 0, description: 'Items matching the filters, all pages' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });
