import { Type, type SchemaOptions, type TSchema } from '@sinclair/typebox';

/** `processing | ready | failed`: the status of portraits, markers, videos and orders. */
export const processingStatus = (options?: SchemaOptions) =>
  Type.Union([Type.Literal('processing'), Type.Literal('ready'), Type.Literal('failed')], options);

/** The schema, or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
