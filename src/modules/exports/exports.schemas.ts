import { Type, type Static } from '@sinclair/typebox';
import { RangeFields } from '../analytics/analytics.schemas.js';
import { ClientListQuery } from '../clients/clients.schemas.js';
import { orderFilterFields } from '../orders/orders.schemas.js';

const lang = Type.Optional(
  Type.Union([Type.Literal('ru'), Type.Literal('en')], {
    description:
      'Language of the header row and of the status words; unset: the best of ' +
      '`Accept-Language`, else `DEFAULT_LOCALE` (ru)',
  }),
);

/** The orders list's filters (`GET /api/orders` without paging). */
export const OrderExportQuery = Type.Object({ ...orderFilterFields, lang });
export type OrderExportQuery = Static<typeof OrderExportQuery>;

/** The clients list's filters (`GET /api/clients` without paging). */
export const ClientExportQuery = Type.Object({
  ...Type.Omit(ClientListQuery, ['limit', 'offset']).properties,
  lang,
});
export type ClientExportQuery = Static<typeof ClientExportQuery>;

/** The analytics' range (`GET /api/analytics/summary`), of all portraits or of one. */
export const AnalyticsExportQuery = Type.Object({
  ...RangeFields,
  portraitId: Type.Optional(
    Type.String({ format: 'uuid', description: 'Only this portrait (404 when unknown)' }),
  ),
  lang,
});
export type AnalyticsExportQuery = Static<typeof AnalyticsExportQuery>;

/** The file: documented for OpenAPI, sent as a stream. */
export const CsvFile = Type.Unsafe<string>({
  type: 'string',
  description:
    'UTF-8 with BOM, `;`-separated, RFC 4180 quoting, CRLF line ends, a header row; text ' +
    'cells starting with = + - @ get a leading apostrophe (CSV injection guard)',
});
