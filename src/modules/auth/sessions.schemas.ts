import { Type, type Static } from '@sinclair/typebox';

export const SessionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userAgent: Type.Union([Type.String(), Type.Null()], {
    description: 'The browser or program that logged in, as it named itself',
  }),
  ip: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({
    format: 'date-time',
    description: 'Updated at most once a minute',
  }),
  expiresAt: Type.String({ format: 'date-time', description: 'Absolute end of the session' }),
  current: Type.Boolean({ description: 'This is the session making the request' }),
});
export type SessionView = Static<typeof SessionSchema>;

export const SessionListSchema = Type.Object({ items: Type.Array(SessionSchema) });
export type SessionList = Static<typeof SessionListSchema>;

export const RevokedCountSchema = Type.Object({
  revoked: Type.Integer({ minimum: 0, description: 'How many sessions were closed' }),
});

export const SessionIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const UserSessionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sessionId: Type.String({ format: 'uuid' }),
});
