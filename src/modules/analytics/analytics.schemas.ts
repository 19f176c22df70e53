import { processingStatus } from '../../http/schema-helpers.js';
import { Type, type Static } from '@sinclair/typebox';

const Counts = {
  pageViews: Type.Integer({ description: 'Renders of the public page' }),
  arStarts: Type.Integer({ description: 'Taps on Start (camera requested)' }),
  markersFound: Type.Integer({ description: 'Times the print was found by the tracker' }),
  videoPlays: Type.Integer({ description: 'Times the video started playing on the print' }),
};

const Day = (description: string) => Type.String({ format: 'date', description });

const Rate = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: `${description}; 0…1 (capped at 1), null when the step before is 0`,
  });

export const Granularity = Type.Union([Type.Literal('day'), Type.Literal('week')], {
  description: 'Bars per UTC day, or per ISO week (Monday to Sunday, UTC)',
});
export type Granularity = Static<typeof Granularity>;

/**
 * The viewer funnel over the range. Each step is counted once per visitor and 30-minute window
 * (visit dedup), so the steps compare like with like.
 */
export const Funnel = Type.Object(
  {
    opened: Type.Integer({ description: 'Page opened (page views)' }),
    started: Type.Integer({ description: 'Camera started (taps on Start)' }),
    found: Type.Integer({ description: 'Print recognised (marker found)' }),
    played: Type.Integer({ description: 'Video played on the print' }),
    rates: Type.Object({
      started: Rate('started / opened'),
      found: Rate('found / started'),
      played: Rate('played / found'),
      overall: Rate('played / opened'),
    }),
  },
  { description: 'opened → started → found → played, as counts and rates' },
);

export const StatsSeries = Type.Object({
  from: Day('First UTC day of the range'),
  to: Day('Last UTC day of the range'),
  granularity: Granularity,
  totals: Type.Object(Counts),
  days: Type.Array(Type.Object({ day: Day('UTC day'), ...Counts }), {
    description: 'Every day of the range, oldest first; days without activity are zeros',
  }),
  buckets: Type.Array(
    Type.Object({
      start: Day(
        'First day of the bucket inside the range (a Monday unless the range starts later)',
      ),
      end: Day('Last day of the bucket inside the range'),
      ...Counts,
    }),
    {
      description:
        'Every bucket of the range by `granularity`, oldest first, zeros where nothing happened; ' +
        'weeks are ISO weeks (Monday to Sunday, UTC), cut to the range at its ends',
    },
  ),
  funnel: Funnel,
});

/** The longest range the analytics take, in days. */
export const MAX_RANGE_DAYS = 366;

/** A date range: `days` ending today, or `from`–`to`; shared by the series, top and CSV. */
export const RangeFields = {
  days: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_RANGE_DAYS,
      description: 'Number of UTC days ending today (default 30 when neither `from` nor `to`)',
    }),
  ),
  from: Type.Optional(
    Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description:
        'First UTC day (YYYY-MM-DD), with `to`, instead of `days`. 400 `date_range_invalid` ' +
        'when only one is given, together with `days`, not a calendar day, `to` before ' +
        `\`from\`, or over ${MAX_RANGE_DAYS} days`,
    }),
  ),
  to: Type.Optional(
    Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last UTC day (YYYY-MM-DD)' }),
  ),
};

export const SeriesQuery = Type.Object({
  ...RangeFields,
  granularity: Type.Optional(Granularity),
});
export type SeriesQuery = Static<typeof SeriesQuery>;
export type RangeQuery = Pick<SeriesQuery, 'days' | 'from' | 'to'>;

/** Kept for callers of the old name: the range alone. */
export const DaysQuery = Type.Object(RangeFields);

export const TopPortraitsQuery = Type.Object({
  ...RangeFields,
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
});
export type TopPortraitsQuery = Static<typeof TopPortraitsQuery>;

export const TopPortraits = Type.Object({
  from: Day('First UTC day of the range'),
  to: Day('Last UTC day of the range'),
  items: Type.Array(
    Type.Object({
      portraitId: Type.String(),
      clientId: Type.String(),
      clientName: Type.String(),
      createdAt: Type.String({ format: 'date-time', description: 'When the portrait was made' }),
      ...Counts,
    }),
    {
      description:
        'Portraits with at least one page view in the range, most views first (then the ' +
        'newest portrait first)',
    },
  ),
});
export type TopPortraits = Static<typeof TopPortraits>;

export const PortraitIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const Status = processingStatus();

export const DashboardSchema = Type.Object({
  counts: Type.Object({
    clients: Type.Integer(),
    portraits: Type.Integer(),
    videos: Type.Integer(),
    orders: Type.Integer(),
  }),
  storageBytes: Type.Integer({
    description: 'Originals of portraits and videos plus playable copies (from the database)',
  }),
  recentOrders: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.String(),
      status: Status,
      createdAt: Type.String({ format: 'date-time' }),
      clientName: Type.String(),
      portraitId: Type.String(),
    }),
    { description: 'The 5 newest orders' },
  ),
  jobs: Type.Object({ queued: Type.Integer(), running: Type.Integer(), failed: Type.Integer() }),
  portraits: Type.Object({
    processing: Type.Integer(),
    ready: Type.Integer(),
    failed: Type.Integer(),
  }),
  views: Type.Object({
    today: Type.Integer({ description: 'Page views today (UTC)' }),
    last7Days: Type.Integer({ description: 'Page views today and the 6 days before' }),
  }),
});

export type Series = Static<typeof StatsSeries>;
export type Dashboard = Static<typeof DashboardSchema>;
