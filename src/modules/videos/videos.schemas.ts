import { processingStatus, Nullable } from '../../http/schema-helpers.js';
import { Type, type Static } from '@sinclair/typebox';

const Status = processingStatus();

export const VideoSchema = Type.Object(
  {
    id: Type.String(),
    portraitId: Type.String(),
    status: Status,
    active: Type.Boolean({ description: 'Exactly one video of a portrait is active (or none)' }),
    error: Type.Optional(Type.String({ description: 'Why processing failed' })),
    durationSeconds: Nullable(Type.Number()),
    posterUrl: Nullable(Type.String({ description: 'Same-origin path; set once ready' })),
    videoUrl: Nullable(Type.String({ description: 'Phone-playable MP4; set once ready' })),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Video' },
);

/** A video as the API returns it. */
export type VideoItem = Static<typeof VideoSchema>;

export const VideoList = Type.Object({ items: Type.Array(VideoSchema) });

export const VideoAccepted = Type.Object({
  id: Type.String(),
  status: Type.Literal('processing'),
  active: Type.Boolean({
    description: 'true only when the portrait had no active video; else activate it when ready',
  }),
});

export type VideoAccepted = Static<typeof VideoAccepted>;

/** Documents the multipart body (validated while it streams, not by Ajv). */
export const VideoUploadBody = Type.Object({
  video: Type.String({ format: 'binary', description: 'Video: MP4, MOV or WebM' }),
});

export const PortraitIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const VideoIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
