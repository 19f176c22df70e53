import type { Database } from '../../infra/db/database.js';
import { AppError, notFound } from '../../shared/errors.js';
import { mediaUrls } from '../portraits/media-urls.js';
import type { PortraitsService } from '../portraits/portraits.service.js';
import type { OrderListRow, OrdersRepo } from './orders.repo.js';
import type { OrderDetail, OrderItem, OrderListQuery, OrderPage } from './orders.schemas.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

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

interface Deps {
  database: Database;
  orders: OrdersRepo;
  portraitsService: PortraitsService;
}

/** Reading orders for the admin app: list with filters, one order. */
export function createOrdersService({ database, orders, portraitsService }: Deps) {
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
        row.portraitImagesReadyAt === null ? null : mediaUrls.portraitThumbnail(row.portraitId),
    },
  });

  async function list(query: OrderListQuery): Promise<OrderPage> {
    const { rows, total } = await orders.list(db, {
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.from === undefined ? {} : { createdFrom: boundary(query.from, 'from') }),
      ...(query.to === undefined ? {} : { createdBefore: boundary(query.to, 'to') }),
      limit: query.limit,
      offset: query.offset,
    });
    return { items: rows.map(itemOf), total, limit: query.limit, offset: query.offset };
  }

  async function get(id: string): Promise<OrderDetail> {
    const row = await orders.findById(db, id);
    if (row === undefined) throw notFound('order');
    return { ...itemOf(row), createdBy: row.createdBy };
  }

  return { list, get };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
