import { Readable } from 'node:stream';

/**
 * CSV as Excel opens it in a Russian locale: UTF-8 with a byte-order mark (without it Excel reads
 * the file as Windows-1251 and Cyrillic turns to mojibake), `;` between cells (Russian Excel's
 * list separator: with `,` everything lands in one column), RFC 4180 quoting, CRLF line ends.
 */
export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
export const CSV_LINE_END = '\r\n';

export type CsvCell = string | number | null;

/** What a spreadsheet reads as the start of a formula (`=`, `+`, `-`, `@`, tab, CR). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[";\r\n]/;

/**
 * One cell. Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's
 * advice against CSV injection: `=HYPERLINK(…)` in a client's name stays text); numbers are
 * written as they are. Quoted when it holds the separator, a quote or a line break.
 */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly CsvCell[]): string =>
  cells.map(csvCell).join(CSV_SEPARATOR) + CSV_LINE_END;

/** Lines are handed to the socket in chunks of about this size, not one write per row. */
const CHUNK_CHARS = 32 * 1024;

/**
 * The whole file as a stream: BOM and header, then each row as `rows` yields it. Rows are pulled
 * only as fast as the client reads (`Readable.from` asks for the next chunk when the socket
 * drains), so memory stays at about a page of rows whatever the file's size.
 */
export function csvStream(
  header: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]>,
): Readable {
  return Readable.from(
    (async function* () {
      let chunk = CSV_BOM + csvLine(header);
      for await (const row of rows) {
        chunk += csvLine(row);
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk !== '') yield chunk;
    })(),
    { objectMode: false },
  );
}
