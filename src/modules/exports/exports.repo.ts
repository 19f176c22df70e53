import type { Kysely } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { DB } from '../../infra/db/schema.js';
import type { PortraitStatsDailyTable } from '../analytics/analytics.repo.js';

export interface PortraitDayRow {
  day: string;
  portraitId: string;
  portraitSlug: string;
  clientName: string;
  pageViews: number;
  arStarts: number;
  markersFound: number;
  videoPlays: number;
}

type StatsTables = { portraitStatsDaily: PortraitStatsDailyTable };
const withStats = (db: Executor) => (db as Kysely<DB>).withTables<StatsTables>();

export function createExportsRepo() {
  return {
    /**
     * Each portrait's counters per UTC day over `[from, to]` (inclusive; only days with a row),
     * oldest day first, `pageSize` rows a query (keyset on `day, portrait_id`).
     */
    async *portraitDays(
      db: Executor,
      range: { from: string; to: string; portraitId?: string },
      pageSize: number,
    ): AsyncGenerator<PortraitDayRow> {
      let after: { day: string; portraitId: string } | undefined;
      for (;;) {
        let query = withStats(db)
          .selectFrom('portraitStatsDaily as s')
          .innerJoin('portraits', 'portraits.id', 's.portraitId')
          .innerJoin('clients', 'clients.id', 'portraits.clientId')
          .select([
            's.day',
            's.portraitId',
            'portraits.slug as portraitSlug',
            'clients.name as clientName',
            's.pageViews',
            's.arStarts',
            's.markersFound',
            's.videoPlays',
          ])
          .where('s.day', '>=', range.from)
          .where('s.day', '<=', range.to);
        if (range.portraitId !== undefined)
          query = query.where('s.portraitId', '=', range.portraitId);
        if (after !== undefined) {
          const { day, portraitId } = after;
          query = query.where((eb) =>
            eb.or([
              eb('s.day', '>', day),
              eb.and([eb('s.day', '=', day), eb('s.portraitId', '>', portraitId)]),
            ]),
          );
        }
        const page = await query.orderBy('s.day').orderBy('s.portraitId').limit(pageSize).execute();
        yield* page;
        const last = page.at(-1);
        if (last === undefined || page.length < pageSize) return;
        after = { day: last.day, portraitId: last.portraitId };
      }
    },
  };
}

export type ExportsRepo = ReturnType<typeof createExportsRepo>;
