import { Type, type Static } from '@sinclair/typebox';

/** The longest note, in characters (a few paragraphs; the column itself is unbounded). */
export const NOTES_MAX_LENGTH = 2000;

/**
 * Like `SafeText` but several lines: line breaks and tabs are allowed, the other controls,
 * bidi overrides and lone surrogates are refused (400 `validation_failed`).
 */
const NOTES_PATTERN = String.raw`^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069\p{Cs}]*$`;

export const NotesBody = Type.Object(
  {
    notes: Type.Union(
      [Type.String({ maxLength: NOTES_MAX_LENGTH, pattern: NOTES_PATTERN }), Type.Null()],
      {
        description:
          `The note, up to ${NOTES_MAX_LENGTH} characters, several lines allowed; ` +
          'null or only spaces clears it',
      },
    ),
  },
  { additionalProperties: false },
);
export type NotesBody = Static<typeof NotesBody>;

export const NotesSchema = Type.Object({
  notes: Type.Union([Type.String(), Type.Null()], {
    description: 'The note as stored (line ends as LF, trailing spaces trimmed); null: none',
  }),
});
export type Notes = Static<typeof NotesSchema>;

export const NotesIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
