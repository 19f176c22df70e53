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
  },
  { title: 'SystemInfo' },
);

export type SystemInfo = Static<typeof SystemInfoSchema>;
