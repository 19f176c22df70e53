import { Type, type Static } from '@sinclair/typebox';

export const SystemInfoSchema = Type.Object(
  {
    publicBaseUrl: Type.String({
      description: 'PUBLIC_BASE_URL: the origin of public links and QR codes',
    }),
    secureContextReady: Type.Boolean({
      description:
        'true only when PUBLIC_BASE_URL is https://. Phones open the camera only over HTTPS, ' +
        'so QR codes printed while this is false do not work on phones (a localhost URL does ' +
        'not count: a phone never reaches the studio server as localhost).',
    }),
    version: Type.String({ description: 'Application version' }),
    mailConfigured: Type.Boolean({
      description:
        'true when SMTP_URL is set: the admin app can e-mail links (`POST /api/portraits/{id}/send-link`)',
    }),
  },
  { title: 'SystemInfo' },
);

export type SystemInfo = Static<typeof SystemInfoSchema>;

const Count = Type.Integer({ minimum: 0 });
const Bytes = Type.Number({ minimum: 0 });
const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const SystemStatusSchema = Type.Object(
  {
    version: Type.String(),
    startedAt: Type.String({ format: 'date-time', description: 'When this instance started' }),
    uptimeSeconds: Type.Number({ minimum: 0 }),
    database: Type.Object({
      dialect: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
      ok: Type.Boolean(),
      pool: Type.Object({ max: Count, inUse: Count, idle: Count, waiting: Count }),
    }),
    storage: Type.Object({
      driver: Type.Union([Type.Literal('local'), Type.Literal('s3')]),
      ok: Type.Boolean(),
    }),
    disk: Type.Array(
      Type.Object({
        volume: Type.Union([Type.Literal('data'), Type.Literal('storage')], {
          description: 'data: DATA_DIR; storage: the local storage folder',
        }),
        totalBytes: Bytes,
        freeBytes: Bytes,
      }),
    ),
    storageBytes: Type.Object({ originals: Bytes, videos: Bytes, markers: Bytes }),
    jobs: Type.Array(
      Type.Object({
        kind: Type.String(),
        queued: Count,
        running: Count,
        failed: Count,
        failedRecent: Type.Integer({ minimum: 0, description: 'Failed for good in the last 24 h' }),
        oldestQueuedAgeSeconds: Type.Number({ minimum: 0 }),
      }),
    ),
    backup: Type.Object({
      lastSuccessAt: NullableTime,
      lastDurationSeconds: NullableNumber,
      lastSizeBytes: NullableNumber,
      lastFailureAt: NullableTime,
    }),
    markers: Type.Object({
      sampled: Type.Integer({ minimum: 0, description: 'How many of the newest ready markers' }),
      medianSeconds: NullableNumber,
      maxSeconds: NullableNumber,
      selfTestPassed: Count,
    }),
  },
  { title: 'SystemStatus' },
);
