import { Type } from '@sinclair/typebox';

/** Documents the multipart body (validated by the streaming receiver, not by Ajv). */
export const OrderUploadBody = Type.Object({
  clientName: Type.String({ maxLength: 200, description: 'Client name' }),
  clientPhone: Type.String({
    maxLength: 40,
    description: 'Phone; normalised, identifies the client',
  }),
  clientEmail: Type.Optional(Type.String({ maxLength: 254, format: 'email' })),
  portrait: Type.String({
    format: 'binary',
    description: 'Portrait photo: JPEG, PNG, WebP or HEIC',
  }),
  video: Type.String({ format: 'binary', description: 'Video: MP4, MOV or WebM' }),
});

export const OrderAccepted = Type.Object({
  order: Type.Object({
    id: Type.String(),
    number: Type.String(),
    status: Type.Literal('processing'),
  }),
  client: Type.Object({
    id: Type.String(),
    name: Type.String(),
    phone: Type.String(),
    created: Type.Boolean({ description: 'false when an existing client was found by phone' }),
  }),
  portrait: Type.Object({
    id: Type.String(),
    slug: Type.String(),
    status: Type.Literal('processing'),
    publicUrl: Type.String({ format: 'uri' }),
  }),
  video: Type.Object({
    id: Type.String(),
    status: Type.Literal('processing'),
    active: Type.Literal(true),
  }),
});
