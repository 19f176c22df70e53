import { Type, type SchemaOptions, type StringOptions, type TSchema } from '@sinclair/typebox';

/** `processing | ready | failed`: the status of portraits, markers, videos and orders. */
export const processingStatus = (options?: SchemaOptions) =>
  Type.Union([Type.Literal('processing'), Type.Literal('ready'), Type.Literal('failed')], options);

/** The schema, or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Characters no name, email, phone or search text needs, which make a shown value lie or break:
 * C0/C1 controls (NUL, newline, escape…), bidi overrides, embeddings, isolates and marks (a
 * right-to-left override shows `exe.txt` for `txt.exe`), line/paragraph separators, and lone
 * surrogates (not text at all). Joiners stay (emoji sequences need them).
 */
const UNSAFE_TEXT_CLASS = String.raw`\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069\p{Cs}`;
export const UNSAFE_TEXT = new RegExp(`[${UNSAFE_TEXT_CLASS}]`, 'u');

/**
 * A single-line text field a person typed: refused (400 `validation_failed`, the field in
 * `details`) when it holds any `UNSAFE_TEXT` character. Every text field of a request body or
 * query uses it (multipart fields get the same check in `receiveMultipart`).
 */
export const SafeText = (options: StringOptions = {}) =>
  Type.String({ ...options, pattern: `^[^${UNSAFE_TEXT_CLASS}]*$` });
