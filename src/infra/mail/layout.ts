/**
 * The plain-text and HTML bodies of an e-mail from the same few parts, so both always say the
 * same. The HTML is deliberately simple: inline styles only, no images, fonts or anything
 * fetched from elsewhere (mail clients block remote content, and it would track the reader).
 */

export interface MailParts {
  /** `lang` of the HTML document, e.g. `ru`. */
  language: string;
  /** Opening line(s), e.g. the greeting. */
  intro: readonly string[];
  /** A prominent link (a button in HTML, its own line in text). */
  link?: { url: string; label: string };
  /** Numbered steps after the link. */
  steps?: readonly string[];
  /** Small print at the end (who sent it, why). */
  footer?: readonly string[];
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export function mailText(parts: MailParts): string {
  const blocks: string[] = [parts.intro.join('\n')];
  if (parts.link !== undefined) blocks.push(parts.link.url);
  if (parts.steps !== undefined && parts.steps.length > 0)
    blocks.push(parts.steps.map((step, i) => `${i + 1}. ${step}`).join('\n'));
  if (parts.footer !== undefined && parts.footer.length > 0)
    blocks.push(`--\n${parts.footer.join('\n')}`);
  return `${blocks.join('\n\n')}\n`;
}

export function mailHtml(parts: MailParts): string {
  const p = (text: string) => `<p style="margin:0 0 12px">${escapeHtml(text)}</p>`;
  const body: string[] = parts.intro.map(p);
  if (parts.link !== undefined) {
    const href = escapeHtml(parts.link.url);
    body.push(
      `<p style="margin:20px 0"><a href="${href}" style="display:inline-block;padding:12px 20px;` +
        'background:#1d3a8a;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">' +
        `${escapeHtml(parts.link.label)}</a></p>`,
      `<p style="margin:0 0 16px;font-size:13px;color:#555555"><a href="${href}" style="color:#1d3a8a">${href}</a></p>`,
    );
  }
  if (parts.steps !== undefined && parts.steps.length > 0)
    body.push(
      `<ol style="margin:0 0 16px;padding-left:20px">${parts.steps
        .map((step) => `<li style="margin:0 0 6px">${escapeHtml(step)}</li>`)
        .join('')}</ol>`,
    );
  if (parts.footer !== undefined && parts.footer.length > 0)
    body.push(
      `<p style="margin:24px 0 0;font-size:12px;color:#777777">${parts.footer.map(escapeHtml).join('<br>')}</p>`,
    );
  return (
    `<!doctype html><html lang="${escapeHtml(parts.language)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width"></head>' +
    '<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;' +
    `line-height:1.5;color:#222222;background:#ffffff"><div style="max-width:560px">${body.join('')}</div></body></html>`
  );
}
