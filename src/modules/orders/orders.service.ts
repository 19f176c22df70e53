import type { Database } from '../../infra/db/database.js';
import { AppError, notFound } from '../../shared/errors.js';
import { mediaUrls } from '../portraits/media-urls.js';
import type { PhoneRegion } from '../../shared/phone.js';
import { phoneSearchDigits } from '../clients/phone.js';
import type { PortraitsService } from '../portraits/portraits.service.js';
import type { OrderFilter, OrderListRow, OrdersRepo } from './orders.repo.js';
import type {
  OrderDetail,
  OrderFilterQuery,
  OrderItem,
  OrderListQuery,
  OrderPage,
} from './orders.schemas.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows per query of an export: small enough to keep memory flat, big enough to be quick. */
export const EXPORT_PAGE_SIZE = 100;

/** An ISO date or date-time as the instant a range starts (`from`) or the one just after it ends (`to`). */
function boundary(value: string, field: 'from' | 'to'): string {
  const dateOnly = DATE_ONLY.test(value);
  const time = new Date(dateOnly ? `${value}T00:00:00.000Z` : value).getTime();
  if (Number.isNaN(time)) {
    throw new AppError('validation_failed', 400, `${field} is not a valid ISO date`, [
      { location: 'querystring', path: `/${field}`, message: 'must be an ISO date or date-time' },
    ]);
  }
  const end = field === 'from' ? time : time + (dateOnly ? DAY_MS : 1);
  return new Date(end).toISOString();
}

/** The list's query as the repository's filter (the list and the CSV export share it). */
export function orderFilterOf(query: OrderFilterQuery, region: PhoneRegion): OrderFilter {
  const q = query.q?.trim() ?? '';
  return {
    ...(q === '' ? {} : { search: { text: q, phoneDigits: phoneSearchDigits(q, region) } }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.from === undefined ? {} : { createdFrom: boundary(query.from, 'from') }),
    ...(query.to === undefined ? {} : { createdBefore: boundary(query.to, 'to') }),
  };
}

interface Deps {
  database: Database;
  orders: OrdersRepo;
  portraitsService: PortraitsService;
  /** How a phone typed without `+` is read when searching (`DEFAULT_PHONE_REGION`). */
  phoneRegion: PhoneRegion;
}

/** Reading orders for the admin app: list with filters (and search), one order, every match for an export. */
export function createOrdersService({ database, orders, portraitsService, phoneRegion }: Deps) {
  const { db } = database;

  const itemOf = (row: OrderListRow): OrderItem => ({
    id: row.id,
    number: row.number,
    status: row.portraitStatus,
    createdAt: row.createdAt,
    client: { id: row.clientId, name: row.clientName, phone: row.clientPhone },
    portrait: {
      id: row.portraitId,
      slug: row.portraitSlug,
      status: row.portraitStatus,
      publicUrl: portraitsService.publicUrl(row.portraitSlug),
      thumbnailUrl:
        row.portraitImagesReadyAt === null
          ? null
          : mediaUrls.portraitThumbnail(row.portraitId, 320, 'webp', row.portraitImageVersion),
    },
  });

  async function list(query: OrderListQuery): Promise<OrderPage> {
    const { rows, total } = await orders.list(db, {
      ...orderFilterOf(query, phoneRegion),
      limit: query.limit,
      offset: query.offset,
    });
    return { items: rows.map(itemOf), total, limit: query.limit, offset: query.offset };
  }

  async function get(id: string): Promise<OrderDetail> {
    const row = await orders.findById(db, id);
    if (row === undefined) throw notFound('order');
    return { ...itemOf(row), createdBy: row.createdBy, notes: row.notes };
  }

  /**
   * Every order matching the list's filters, in the list's order, with its note: read from the
   * database a page at a time as the caller consumes them (the CSV export streams them).
   */
  function matching(
    query: OrderFilterQuery,
    pageSize = EXPORT_PAGE_SIZE,
  ): AsyncGenerator<OrderItem & { notes: string | null }> {
    // Checked now, before the first row, so a bad date is a 400 and not a broken download.
    const filter = orderFilterOf(query, phoneRegion);
    return (async function* () {
      for await (const row of orders.inListOrder(db, filter, pageSize)) {
        yield { ...itemOf(row), notes: row.notes };
      }
    })();
  }

  return { list, get, matching };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
