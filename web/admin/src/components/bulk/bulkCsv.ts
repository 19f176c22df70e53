/**
 * The bulk-order CSV: one row per child/client with name, phone, portrait and video file
 * names. `;` (Excel in Russian) or `,` separated, chosen by the header line; UTF-8 with or
 * without a BOM; quoted cells (`"Ivanova; Anna"`, `""` for a quote) and CRLF line ends.
 * Columns are recognised by their header in Russian or English, in any order. Pure: no DOM.
 */

export type CsvColumn = 'name' | 'phone' | 'email' | 'portrait' | 'video';

export interface CsvRow {
  /** The line in the file (1 = the header), for messages. */
  line: number;
  name: string;
  phone: string;
  email: string;
  portrait: string;
  video: string;
}

export type CsvProblem = { kind: 'missingColumns'; columns: CsvColumn[] } | { kind: 'empty' };

export interface ParsedCsv {
  rows: CsvRow[];
  problem: CsvProblem | null;
}

const HEADERS: Readonly<Record<CsvColumn, readonly string[]>> = {
  name: [
    'name',
    'client',
    'client name',
    'clientname',
    'full name',
    'имя',
    'фио',
    'клиент',
    'имя клиента',
  ],
  phone: ['phone', 'client phone', 'clientphone', 'telephone', 'mobile', 'телефон', 'тел', 'тел.'],
  email: ['email', 'e-mail', 'client email', 'почта', 'эл. почта', 'электронная почта'],
  portrait: ['portrait', 'photo', 'image', 'picture', 'портрет', 'фото', 'фотография', 'снимок'],
  video: ['video', 'clip', 'видео', 'ролик'],
};
const REQUIRED: readonly CsvColumn[] = ['name', 'phone', 'portrait', 'video'];

/** Splits CSV text into rows of cells (RFC 4180 quoting). */
export function splitCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** `;` when the header has more semicolons than commas, else `,`. */
export function detectDelimiter(headerLine: string): ';' | ',' {
  const count = (char: string) => headerLine.split(char).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

const normaliseHeader = (header: string) =>
  header.trim().toLowerCase().replace(/[_*]/g, ' ').replace(/\s+/g, ' ');

export function parseCsv(input: string): ParsedCsv {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() === '') return { rows: [], problem: { kind: 'empty' } };
  const [header = [], ...body] = splitCsv(text, detectDelimiter(firstLine));
  const names = header.map(normaliseHeader);
  const position = {} as Record<CsvColumn, number>;
  for (const column of Object.keys(HEADERS) as CsvColumn[]) {
    position[column] = names.findIndex((name) => HEADERS[column].includes(name));
  }
  const missing = REQUIRED.filter((column) => position[column] < 0);
  if (missing.length > 0)
    return { rows: [], problem: { kind: 'missingColumns', columns: missing } };
  const cellOf = (cells: string[], column: CsvColumn) =>
    position[column] < 0 ? '' : (cells[position[column]] ?? '').trim();
  const rows: CsvRow[] = [];
  body.forEach((cells, index) => {
    if (cells.every((cell) => cell.trim() === '')) return;
    rows.push({
      line: index + 2,
      name: cellOf(cells, 'name'),
      phone: cellOf(cells, 'phone'),
      email: cellOf(cells, 'email'),
      portrait: cellOf(cells, 'portrait'),
      video: cellOf(cells, 'video'),
    });
  });
  return { rows, problem: rows.length === 0 ? { kind: 'empty' } : null };
}
