import type { Page } from 'playwright-core';

/**
 * Every text a person (or a screen reader) meets on the admin page, with where it was found:
 * text nodes and the `aria-label`, `title`, `placeholder`, `alt` and `data-label` (the phone's
 * card labels) attributes, and the document's title. Codes shown on purpose (`code`, `.code`,
 * `translate="no"`) are left out, as is whatever matches `skip` (a part of the page another
 * test checks), and only what is inside `root` is read. A script string: the tests compile
 * without the DOM's types.
 */
const pageTextsScript = (root: string, skip: string) => `(() => {
  const root = document.querySelector(${JSON.stringify(root)}) || document.body;
  const skip = ${JSON.stringify(`script, style, noscript, code, .code, [translate="no"]${skip === '' ? '' : `, ${skip}`}`)};
  const attributes = ['aria-label', 'title', 'placeholder', 'alt', 'data-label'];
  const found = [];
  const name = (element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent === null || parent.closest(skip) !== null) continue;
    const text = node.textContent || '';
    if (text.trim() !== '') found.push({ where: name(parent), text });
  }
  for (const element of root.querySelectorAll('*')) {
    if (element.closest(skip) !== null) continue;
    for (const attribute of attributes) {
      const value = element.getAttribute(attribute);
      if (value !== null && value.trim() !== '') {
        found.push({ where: name(element) + '[' + attribute + ']', text: value });
      }
    }
  }
  found.push({ where: 'document.title', text: document.title });
  return found;
})()`;

export interface WordsCheck {
  /** A word of the other language: Latin in a Russian page, Cyrillic in an English one. */
  foreign: RegExp;
  /** Words allowed anyway (names, abbreviations, the test's own data). */
  allowed: ReadonlySet<string>;
  /** Words of this shape allowed too (environment variables' names). */
  allowedShape?: RegExp;
  /** The part of the page checked (CSS selector; the whole body unless told). */
  root?: string;
  /** Parts of it not checked (CSS selector). */
  skip?: string;
}

/** `where: "word" in "text"` for every foreign word on the page; empty when none is left. */
export async function foreignWords(page: Page, check: WordsCheck): Promise<string[]> {
  const texts = await page.evaluate<{ where: string; text: string }[]>(
    pageTextsScript(check.root ?? 'body', check.skip ?? ''),
  );
  const left: string[] = [];
  for (const { where, text } of texts) {
    const words = text
      .replace(/\bhttps?:\/\/\S+/g, ' ')
      .replace(/\S+@\S+\.\S+/g, ' ')
      .match(new RegExp(check.foreign.source, 'gu'));
    for (const word of words ?? []) {
      if (check.allowed.has(word) || check.allowedShape?.test(word) === true) continue;
      left.push(`${where}: "${word}" in "${text.trim().slice(0, 80)}"`);
    }
  }
  return left;
}

/** Latin words (a Russian page's leftovers). */
export const LATIN_WORD = /[A-Za-z][A-Za-z0-9_*]*/;
/** Cyrillic words (an English page's leftovers). */
export const CYRILLIC_WORD = /[А-Яа-яЁё]+/;

/**
 * Names and abbreviations that stay Latin in Russian text (products, formats, protocols,
 * messengers). Keep it short: the checks must fail on a word left in English.
 */
export const LATIN_IN_RUSSIAN: ReadonlySet<string> = new Set([
  'Vertex',
  'AR',
  'SQLite',
  'PostgreSQL',
  'S3',
  'QR',
  'PDF',
  'CSV',
  'Excel',
  'API',
  'URL',
  'HTTPS',
  'https',
  'PNG',
  'JPEG',
  'SVG',
  'WebP',
  'HEIC',
  'MP4',
  'MOV',
  'WebM',
  'WhatsApp',
  'Telegram',
  'SMS',
  'cron',
  'localhost',
  'README',
  // The language switch names each language in itself.
  'English',
]);

/** An environment variable's name (`PUBLIC_BASE_URL`, `BACKUP_S3_*`). */
export const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9*]*)+$/;
