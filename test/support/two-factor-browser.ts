import jsQRModule from 'jsqr';
import { TOTP, URI } from 'otpauth';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import type { TestClock } from './app.js';

// A CommonJS module whose types describe an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/**
 * What a phone's authenticator app does, for the admin browser tests: read the QR code on the
 * screen (a screenshot of the element, decoded with jsQR) and compute its codes with `otpauth`.
 */

/** The text of the QR code shown by `element`, read from a screenshot of it. */
export async function readQrCode(element: Locator): Promise<string> {
  await element.scrollIntoViewIfNeeded();
  const png = await element.screenshot();
  const { data, info } = await sharp(png)
    .flatten({ background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const found = jsQR(
    new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
  );
  if (found === null)
    throw new Error(`no QR code found in the ${info.width}×${info.height} screenshot`);
  return found.data;
}

/**
 * An authenticator app holding one account: its codes follow the server's clock (the test's
 * `TestClock`), and each code is of a later time step than the last (a server accepts a code
 * once), moving the clock on by a step first.
 */
export class Authenticator {
  readonly totp: TOTP;

  constructor(
    otpauthUrl: string,
    private readonly clock: TestClock,
  ) {
    const parsed = URI.parse(otpauthUrl);
    if (!(parsed instanceof TOTP)) throw new Error(`not a TOTP URL: ${otpauthUrl}`);
    this.totp = parsed;
  }

  get secret(): string {
    return this.totp.secret.base32;
  }

  /** The code of the current step (of the server's clock). */
  now(): string {
    return this.totp.generate({ timestamp: this.clock.now().getTime() });
  }

  /** Moves the server's clock to the next time step and gives that step's code. */
  next(): string {
    this.clock.advance(this.totp.period * 1000);
    return this.now();
  }
}

/** The 6-digit code in a sign-in e-mail's text. */
export function codeInMail(text: string | undefined): string {
  const code = /:\s*(\d{6})\b/.exec(text ?? '')?.[1];
  if (code === undefined) throw new Error(`no code in the e-mail: ${text ?? ''}`);
  return code;
}

/**
 * Interactive elements of `root` (buttons, links, inputs) smaller than 44 CSS px in height:
 * what a finger misses on a phone. Hidden elements are left out.
 */
export async function smallTapTargets(page: Page, root: string): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const root = document.querySelector(${JSON.stringify(root)});
    if (root === null) return ['no ' + ${JSON.stringify(root)}];
    const small = [];
    for (const element of root.querySelectorAll('button, a[href], input, select, textarea')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (element.closest('dialog:not([open])') !== null) continue;
      if (box.height < 44) small.push(element.tagName.toLowerCase() + ' "' + (element.textContent || element.getAttribute('name') || '').trim().slice(0, 40) + '" ' + Math.round(box.height) + 'px');
    }
    return small;
  })()`);
}
