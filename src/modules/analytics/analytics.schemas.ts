import { processingStatus } from '../../http/schema-helpers.js';
import { Type, type Static } from '@sinclair/typebox';

const Counts = {
  pageViews: Type.Integer({ description: 'Renders of the public page' }),
  arStarts: Type.Integer({ description: 'Taps on Start (camera requested)' }),
  markersFound: Type.Integer({ description: 'Times the print was found by the tracker' }),
  videoPlays: Type.Integer({ description: 'Times the video started playing on the print' }),
};

export const StatsSeries = Type.Object({
  totals: Type.Object(Counts),
  days: Type.Array(
    Type.Object({ day: Type.String({ format: 'date', description: 'UTC day' }), ...Counts }),
    { description: 'Every day of the range, oldest first; days without activity are zeros' },
  ),
});

export const DaysQuery = Type.Object({
  days: Type.Integer({
    minimum: 1,
    maximum: 366,
    default: 30,
    description: 'Number of UTC days ending today',
  }),
});

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
