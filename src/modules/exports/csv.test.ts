import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvLine, csvStream } from './csv.js';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

describe('CSV cells and lines', () => {
  it('quotes the separator, quotes and line breaks (RFC 4180), and nothing else', () => {
    expect(csvCell('Анна Петрова')).toBe('Анна Петрова');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('a,b')).toBe('a,b');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0)).toBe('0');
  });

  it('turns text a spreadsheet would run as a formula into text', () => {
    for (const start of ['=', '+', '-', '@', '\t']) {
      expect(csvCell(`${start}HYPERLINK("http://x")`)).toBe(`"'${start}HYPERLINK(""http://x"")"`);
    }
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+79123456789')).toBe("'+79123456789");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-3)).toBe('-3'); // numbers are ours, not typed text
  });

  it('joins cells with ; and ends lines with CRLF', () => {
    expect(csvLine(['a', 1, null, 'b;c'])).toBe('a;1;;"b;c"\r\n');
  });

  it('streams the BOM, the header and every row', async () => {
    async function* rows() {
      for (let i = 0; i < 5000; i++) yield [i, `Имя ${i}`] as const;
    }
    const out = await text(csvStream(['№', 'Имя'], rows()));
    expect(out.startsWith(`${CSV_BOM}№;Имя\r\n0;Имя 0\r\n`)).toBe(true);
    expect(out.split('\r\n')).toHaveLength(5002);
    expect(out.endsWith('4999;Имя 4999\r\n')).toBe(true);
  });
});
