import type { Readable } from 'node:stream';
import type { Database } from '../../infra/db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { resolveRange, utcDay } from '../analytics/analytics-range.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { ClientsService } from '../clients/clients.service.js';
import type { NotesRepo } from '../notes/notes.repo.js';
import { EXPORT_PAGE_SIZE, type OrdersService } from '../orders/orders.service.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import { negotiateLocale } from '../viewer/viewer.i18n.js';
import { csvStream, type CsvCell } from './csv.js';
import type { ExportsRepo } from './exports.repo.js';
import type {
  AnalyticsExportQuery,
  ClientExportQuery,
  OrderExportQuery,
} from './exports.schemas.js';
import {
  ANALYTICS_COLUMNS,
  CLIENT_COLUMNS,
  ORDER_COLUMNS,
  STATUS_WORDS,
  type ExportLocale,
} from './exports.text.js';

/** A download: its file name and its bytes, produced while they are sent. */
export interface CsvExport {
  fileName: string;
  body: Readable;
}

interface Deps {
  database: Pick<Database, 'db'>;
  ordersService: Pick<OrdersService, 'matching'>;
  clientsService: Pick<ClientsService, 'list'>;
  notes: Pick<NotesRepo, 'ofClients'>;
  exports: ExportsRepo;
  portraits: Pick<PortraitsRepo, 'findById'>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  /** `DEFAULT_LOCALE`: the header's language when neither `lang` nor the browser decides. */
  defaultLocale: ExportLocale;
}

/** The keys' words in order (the header), and a row's cells in the same order. */
function table<K extends string>(keys: readonly K[], words: Readonly<Record<K, string>>) {
  return {
    header: keys.map((key) => words[key]),
    cells: (row: Readonly<Record<K, CsvCell>>): CsvCell[] => keys.map((key) => row[key]),
  };
}

const ORDER_KEYS = [
  'id',
  'number',
  'createdAt',
  'status',
  'clientName',
  'clientPhone',
  'publicUrl',
  'notes',
] as const;
const CLIENT_KEYS = [
  'id',
  'name',
  'phone',
  'email',
  'portraitCount',
  'createdAt',
  'notes',
] as const;
const ANALYTICS_KEYS = [
  'day',
  'portraitId',
  'portraitSlug',
  'clientName',
  'pageViews',
  'arStarts',
  'markersFound',
  'videoPlays',
] as const;

/** The list's filters as the audit entry keeps them: which were used, not the search text. */
function filtersUsed(query: Record<string, unknown>): Record<string, unknown> {
  const { q, lang: _lang, ...rest } = query;
  return { ...rest, searched: typeof q === 'string' && q.trim() !== '' };
}

/**
 * CSV exports of the orders and clients lists (with the lists' filters, in the lists' order)
 * and of the analytics. Each is read a page at a time while it is sent; each download is
 * audited (a copy of personal data leaves the server).
 */
export function createExportsService(deps: Deps) {
  const { database, ordersService, clientsService, notes, exports, portraits, audit, clock } = deps;
  const { db } = database;

  const localeOf = (lang: string | undefined, acceptLanguage: string | undefined) =>
    negotiateLocale(acceptLanguage, deps.defaultLocale, lang);
  const fileName = (what: string) => `${what}-${utcDay(clock.now())}.csv`;
  const recordExport = (action: string, actor: Actor, details: Record<string, unknown>) =>
    audit.record({ action, ...byActor(actor), details });

  async function orders(
    query: OrderExportQuery,
    actor: Actor,
    acceptLanguage?: string,
  ): Promise<CsvExport> {
    const locale = localeOf(query.lang, acceptLanguage);
    const { header, cells } = table(ORDER_KEYS, ORDER_COLUMNS[locale]);
    const items = ordersService.matching(query); // throws on bad dates, before any byte
    await recordExport('order.export', actor, filtersUsed(query));
    async function* rows() {
      for await (const order of items) {
        yield cells({
          id: order.id,
          number: order.number,
          createdAt: order.createdAt,
          status: STATUS_WORDS[locale][order.status],
          clientName: order.client.name,
          clientPhone: order.client.phone,
          publicUrl: order.portrait.publicUrl,
          notes: order.notes,
        });
      }
    }
    return { fileName: fileName('orders'), body: csvStream(header, rows()) };
  }

  async function clients(
    query: ClientExportQuery,
    actor: Actor,
    acceptLanguage?: string,
  ): Promise<CsvExport> {
    const { lang, ...filters } = query;
    const locale = localeOf(lang, acceptLanguage);
    const { header, cells } = table(CLIENT_KEYS, CLIENT_COLUMNS[locale]);
    await recordExport('client.export', actor, filtersUsed(query));
    // The list's own query, page by page: the file holds exactly what the list shows.
    async function* rows() {
      for (let offset = 0; ; offset += EXPORT_PAGE_SIZE) {
        const page = await clientsService.list({ ...filters, limit: EXPORT_PAGE_SIZE, offset });
        const notesOf = await notes.ofClients(
          db,
          page.items.map((client) => client.id),
        );
        for (const client of page.items) {
          yield cells({
            id: client.id,
            name: client.name,
            phone: client.phone,
            email: client.email,
            portraitCount: client.portraitCount,
            createdAt: client.createdAt,
            notes: notesOf.get(client.id) ?? null,
          });
        }
        if (page.items.length < EXPORT_PAGE_SIZE) return;
      }
    }
    return { fileName: fileName('clients'), body: csvStream(header, rows()) };
  }

  async function analytics(
    query: AnalyticsExportQuery,
    actor: Actor,
    acceptLanguage?: string,
  ): Promise<CsvExport> {
    const locale = localeOf(query.lang, acceptLanguage);
    const { header, cells } = table(ANALYTICS_KEYS, ANALYTICS_COLUMNS[locale]);
    const { portraitId } = query;
    if (portraitId !== undefined && (await portraits.findById(db, portraitId)) === undefined) {
      throw notFound('portrait');
    }
    const { from, to } = resolveRange(query, clock.now());
    await recordExport('analytics.export', actor, { days: query.days, from, to, portraitId });
    const days = exports.portraitDays(
      db,
      { from, to, ...(portraitId === undefined ? {} : { portraitId }) },
      EXPORT_PAGE_SIZE,
    );
    async function* rows() {
      for await (const row of days) yield cells(row);
    }
    return {
      fileName: fileName(portraitId === undefined ? 'analytics' : `analytics-${portraitId}`),
      body: csvStream(header, rows()),
    };
  }

  return { orders, clients, analytics };
}

export type ExportsService = ReturnType<typeof createExportsService>;
