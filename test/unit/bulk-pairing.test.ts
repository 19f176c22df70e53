import { describe, expect, it } from 'vitest';
import {
  detectDelimiter,
  parseCsv,
  splitCsv,
} from '../../web/admin/src/components/bulk/bulkCsv.js';
import {
  clientFromStem,
  idempotencyKey,
  kindOf,
  pairByCsv,
  pairByName,
  phoneProblem,
} from '../../web/admin/src/components/bulk/bulkPairing.js';

const file = (name: string, size = 100) => ({ name, size });

describe('bulk orders: CSV', () => {
  it('reads ; separated UTF-8 with a BOM, Russian headers, quotes and CRLF', () => {
    const text =
      '\uFEFFФИО;Телефон;Фото;Видео\r\n' +
      'Иванова Анна;+7 912 345-67-89;ivanova.jpg;ivanova.mp4\r\n' +
      '"Петров; Пётр";"8 (916) 123-45-67";petrov.JPG;petrov\r\n' +
      ';;;\r\n';
    expect(parseCsv(text)).toEqual({
      problem: null,
      rows: [
        {
          line: 2,
          name: 'Иванова Анна',
          phone: '+7 912 345-67-89',
          email: '',
          portrait: 'ivanova.jpg',
          video: 'ivanova.mp4',
        },
        {
          line: 3,
          name: 'Петров; Пётр',
          phone: '8 (916) 123-45-67',
          email: '',
          portrait: 'petrov.JPG',
          video: 'petrov',
        },
      ],
    });
  });

  it('reads , separated English headers in any order, with e-mail and "" quotes', () => {
    const parsed = parseCsv(
      'video,Client name,portrait,phone,email\nkid1.mp4,"Anna ""Ann"" Lee",kid1.jpg,+12025550147,a@b.example\n',
    );
    expect(parsed.problem).toBeNull();
    expect(parsed.rows[0]).toEqual({
      line: 2,
      name: 'Anna "Ann" Lee',
      phone: '+12025550147',
      email: 'a@b.example',
      portrait: 'kid1.jpg',
      video: 'kid1.mp4',
    });
  });

  it('says which columns are missing, and when there are no rows', () => {
    expect(parseCsv('name;phone\nAnna;+79123456789').problem).toEqual({
      kind: 'missingColumns',
      columns: ['portrait', 'video'],
    });
    expect(parseCsv('name,phone,portrait,video\n').problem).toEqual({ kind: 'empty' });
    expect(parseCsv('').problem).toEqual({ kind: 'empty' });
  });

  it('chooses the delimiter from the header and splits quoted new lines', () => {
    expect(detectDelimiter('a;b,c;d')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(splitCsv('a,"b\nc"\nd,e', ',')).toEqual([
      ['a', 'b\nc'],
      ['d', 'e'],
    ]);
  });
});

describe('bulk orders: pairing by file name', () => {
  it('pairs portrait and video of the same name and reports the rest with a reason', () => {
    const files = [
      file('ivanova.jpg'),
      file('Ivanova.MP4'),
      file('petrov_petr +79161234567.jpeg'),
      file('petrov_petr +79161234567.mov'),
      file('sidorov.jpg'),
      file('orphan.mp4'),
      file('notes.txt'),
      file('twin.jpg'),
      file('twin.png'),
      file('twin.mp4'),
    ];
    const pairing = pairByName(files);
    expect(pairing.pairs.map((p) => [p.name, p.phone, p.portrait.name, p.video.name])).toEqual([
      ['Ivanova', '', 'ivanova.jpg', 'Ivanova.MP4'],
      [
        'Petrov Petr',
        '+79161234567',
        'petrov_petr +79161234567.jpeg',
        'petrov_petr +79161234567.mov',
      ],
    ]);
    expect(pairing.unpaired.map((u) => [u.file.name, u.reason])).toEqual([
      ['notes.txt', 'notMedia'],
      ['sidorov.jpg', 'noVideo'],
      ['orphan.mp4', 'noPortrait'],
      ['twin.jpg', 'duplicateName'],
      ['twin.png', 'duplicateName'],
      ['twin.mp4', 'duplicateName'],
    ]);
    expect(pairing.rowsWithoutFiles).toEqual([]);
  });

  it('keeps a pair key stable across drops and makes an ASCII idempotency key of it', () => {
    const first = pairByName([file('Ёлкина.jpg', 10), file('Ёлкина.mp4', 20)]).pairs[0];
    const again = pairByName([file('ёлкина.mp4', 20), file('ёлкина.jpg', 10)]).pairs[0];
    expect(first?.key).toBe(again?.key);
    const key = idempotencyKey('abc123', first?.key ?? '');
    expect(key).toMatch(/^bulk-abc123-[0-9a-f]{16}$/);
    expect(idempotencyKey('abc123', `${first?.key ?? ''}x`)).not.toBe(key);
    expect(idempotencyKey('other', first?.key ?? '')).not.toBe(key);
  });

  it('reads a client name and a trailing phone from the file name', () => {
    expect(clientFromStem('ivanova_anna')).toEqual({ name: 'Ivanova Anna', phone: '' });
    expect(clientFromStem('Смирнов Олег 8 916 123-45-67')).toEqual({
      name: 'Смирнов Олег',
      phone: '8 916 123-45-67',
    });
    expect(clientFromStem('class-5b')).toEqual({ name: 'Class-5b', phone: '' });
    expect(kindOf('a.HEIC')).toBe('portrait');
    expect(kindOf('a.webm')).toBe('video');
    expect(kindOf('a.csv')).toBeNull();
  });
});

describe('bulk orders: pairing by CSV', () => {
  it('takes the files the rows name and reports rows without files and files without rows', () => {
    const { rows } = parseCsv(
      'name;phone;portrait;video\n' +
        'Anna;+79123456789;a.jpg;a.mp4\n' +
        'Boris;+79123456780;B;b\n' +
        'Vera;+79123456781;v.jpg;missing.mp4\n' +
        'Gleb;+79123456782;nothing.jpg;nothing.mp4\n' +
        ';+79123456783;x.jpg;x.mp4\n' +
        'Anna again;+79123456784;a.jpg;a.mp4\n',
    );
    const files = [
      file('a.jpg'),
      file('a.mp4'),
      file('b.png'),
      file('b.mov'),
      file('v.jpg'),
      file('x.jpg'),
      file('x.mp4'),
      file('extra.jpg'),
      file('readme.pdf'),
    ];
    const pairing = pairByCsv(files, rows);
    expect(
      pairing.pairs.map((p) => [p.name, p.phone, p.portrait.name, p.video.name, p.line]),
    ).toEqual([
      ['Anna', '+79123456789', 'a.jpg', 'a.mp4', 2],
      ['Boris', '+79123456780', 'b.png', 'b.mov', 3],
    ]);
    expect(pairing.rowsWithoutFiles.map((r) => [r.row.line, r.reason])).toEqual([
      [4, 'noVideoFile'],
      [5, 'noFiles'],
      [6, 'noName'],
      [7, 'fileTwice'],
    ]);
    expect(pairing.unpaired.map((u) => [u.file.name, u.reason])).toEqual([
      ['v.jpg', 'notInCsv'],
      ['x.jpg', 'notInCsv'],
      ['x.mp4', 'notInCsv'],
      ['extra.jpg', 'notInCsv'],
      ['readme.pdf', 'notMedia'],
    ]);
  });
});

describe('bulk orders: phone check', () => {
  it.each([
    ['', 'missing'],
    ['   ', 'missing'],
    ['call me', 'notPhone'],
    ['12-34', 'tooShort'],
    ['+1234567890123456', 'tooLong'],
    ['+7 000 000-00-00', 'invalid'],
    ['+7 912 345-67-89', null],
    ['8 (912) 345-67-89', null],
    ['+1 202 555 0147', null],
  ])('%j → %s', (phone, problem) => {
    expect(phoneProblem(phone)).toBe(problem);
  });
});
