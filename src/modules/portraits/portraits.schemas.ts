import { PageOf } from '../../http/pagination.js';
import { processingStatus, Nullable } from '../../http/schema-helpers.js';
import { Type, type Static } from '@sinclair/typebox';

const Status = processingStatus();

export const PortraitDetailSchema = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    clientId: Type.String(),
    status: Status,
    publicUrl: Type.String({ format: 'uri' }),
    error: Type.Optional(Type.String()),
    imageVersion: Type.Integer({
      minimum: 1,
      description:
        "Which photo this is: 1 for the order's, +1 per replacement (`PUT …/image`). Media URLs " +
        'of a replaced photo carry it as `?v=`.',
    }),
    width: Type.Integer(),
    height: Type.Integer(),
    viewCount: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    marker: Nullable(
      Type.Object({
        version: Type.Integer(),
        status: Status,
        error: Type.Optional(Type.String()),
        errorCode: Type.Optional(Type.String()),
        widthMm: Nullable(Type.Number()),
        heightMm: Nullable(Type.Number()),
        dpi: Nullable(Type.Number()),
        trackingPoints: Nullable(Type.Integer()),
        freakPoints: Nullable(Type.Integer()),
        quality: Type.Object({
          score: Nullable(Type.Integer()),
          advice: Type.Array(Type.String()),
        }),
        selfTest: Type.Object({
          found: Nullable(Type.Boolean()),
          cornerErrorPx: Nullable(Type.Number()),
        }),
      }),
    ),
    activeVideo: Nullable(
      Type.Object({
        id: Type.String(),
        status: Status,
        error: Type.Optional(Type.String()),
        posterUrl: Nullable(Type.String()),
        videoUrl: Nullable(Type.String()),
        durationSeconds: Nullable(Type.Number()),
      }),
    ),
  },
  { $id: 'PortraitDetail', title: 'PortraitDetail' },
);

export type PortraitDetail = Static<typeof PortraitDetailSchema>;

export const PortraitIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const PortraitStatus = Status;

/** A portrait in lists (portraits list, a client's portraits). */
export const PortraitSummarySchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  clientId: Type.String(),
  clientName: Type.String(),
  status: Status,
  publicUrl: Type.String({ format: 'uri' }),
  thumbnailUrl: Nullable(
    Type.String({ description: 'Same-origin path of a 320 px WebP thumbnail; null until made' }),
  ),
  viewCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});

export type PortraitSummary = Static<typeof PortraitSummarySchema>;

/** A page of the portraits list. */
export const PortraitPage = PageOf(PortraitSummarySchema);
export type PortraitPage = Static<typeof PortraitPage>;
