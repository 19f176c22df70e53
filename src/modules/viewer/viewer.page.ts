import type { ViewerAssetUrls } from './viewer-assets.routes.js';
import { VIEWER_LOCALES, viewerText, type ViewerLocale, type ViewerText } from './viewer.i18n.js';
import type { StudioBranding, ViewerMarkerSize } from './viewer.types.js';

/**
 * The public AR page as pure functions: state in, complete HTML out. Every interpolated value
 * goes through `escapeHtml` (text and attributes) or `jsonForScript` (the page's config).
 */

export interface ReadyPage {
  status: 'ready';
  /**
   * Same-origin path of this page (`/p/{slug}`): the language links need it, because the page's
   * `<base href="/">` would send a bare `?lang=en` to the site root.
   */
  pagePath: string;
  /** Relative, no leading slash: AR.js builds `origin + '/' + url + '.fset'` in its worker. */
  markerUrl: string;
  marker: ViewerMarkerSize;
  videoUrl: string;
  posterUrl?: string;
  /** Same-origin path the page posts interaction events to (sendBeacon). */
  analyticsUrl?: string;
}

/** No state carries a title: the page names the studio, never the client. */
export type ViewerPage =
  | ReadyPage
  | { status: 'processing'; refreshSeconds?: number }
  | { status: 'failed' }
  | { status: 'no_video' }
  | { status: 'not_found' }
  /** The lookup threw: the buyer can only retry later. */
  | { status: 'server_error' };

export type { ViewerText };

/** The studio named when none is configured. */
export const DEFAULT_STUDIO: StudioBranding = { name: 'Vertex AR' };

export interface PageContext {
  assets: ViewerAssetUrls;
  /** Language of every word on the page (default `ru`). */
  locale?: ViewerLocale;
  /** Named in the title, the heading and the header (default `DEFAULT_STUDIO`). */
  studio?: StudioBranding;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Safe in element text and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** JSON that cannot end its `<script>` element nor start a comment inside it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const MM_PER_INCH = 25.4;

/** The print's real size in millimetres: AR.js NFT units. */
export function printSizeMm(size: ViewerMarkerSize): { widthMm: number; heightMm: number } {
  for (const name of ['widthPx', 'heightPx', 'dpi'] as const) {
    const value = size[name];
    if (!Number.isFinite(value) || value <= 0) throw new Error(`marker ${name} must be > 0`);
  }
  return {
    widthMm: (size.widthPx / size.dpi) * MM_PER_INCH,
    heightMm: (size.heightPx / size.dpi) * MM_PER_INCH,
  };
}

/** A number for an A-Frame attribute: finite, short, no exponent. */
function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error('non-finite number in page');
  return String(Math.round(value * 1000) / 1000);
}

/**
 * The video plane, in the marker's frame: origin at the image's bottom-left corner, +x right,
 * the image's "up" along -z once the plane is laid flat by `rotation="-90 0 0"`. Centred on the
 * image so it covers the print exactly.
 */
export function videoPlane(size: ViewerMarkerSize) {
  const { widthMm, heightMm } = printSizeMm(size);
  return {
    width: num(widthMm),
    height: num(heightMm),
    position: `${num(widthMm / 2)} 0 ${num(-heightMm / 2)}`,
    rotation: '-90 0 0',
  };
}

const RELATIVE_PATH = /^(?![a-z][a-z0-9+.-]*:)(?!\/)(?!.*\.\.)[A-Za-z0-9._~\-/]+$/i;
const SAME_ORIGIN_PATH = /^\/(?!\/)[A-Za-z0-9._~\-/?=&%]*$/;

function requireRelative(name: string, value: string): string {
  if (!RELATIVE_PATH.test(value)) throw new Error(`${name} must be a relative path`);
  return value;
}

function requireSameOrigin(name: string, value: string): string {
  if (!SAME_ORIGIN_PATH.test(value)) throw new Error(`${name} must be a same-origin path`);
  return value;
}

/** Whitespace and control characters: a configured URL never needs them. */
const UNSAFE_URL_CHARS = /[\s\p{Cc}]/u;

function parseUrl(value: string): URL | undefined {
  if (UNSAFE_URL_CHARS.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isHttpsUrl(url: URL): boolean {
  return (
    url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === ''
  );
}

/** The studio logo: a same-origin path (`/media/...`) or an https: URL without credentials. */
export function isStudioLogoUrl(value: string): boolean {
  if (value.startsWith('/')) return SAME_ORIGIN_PATH.test(value);
  const url = parseUrl(value);
  return url !== undefined && isHttpsUrl(url);
}

/** The studio contact link: https:, tel: or mailto: only (never javascript:, data:, http:…). */
export function isStudioContactUrl(value: string): boolean {
  const url = parseUrl(value);
  if (url === undefined) return false;
  if (url.protocol === 'https:') return isHttpsUrl(url);
  return (url.protocol === 'tel:' || url.protocol === 'mailto:') && url.pathname !== '';
}

/** Throws when the branding could put a foreign scheme or markup on the page. */
export function checkStudioBranding(studio: StudioBranding): StudioBranding {
  if (studio.name.trim() === '') throw new Error('studio name must not be empty');
  if (studio.logoUrl !== undefined && !isStudioLogoUrl(studio.logoUrl)) {
    throw new Error('studio logoUrl must be a same-origin path or an https: URL');
  }
  if (studio.contactUrl !== undefined && !isStudioContactUrl(studio.contactUrl)) {
    throw new Error('studio contactUrl must be an https:, tel: or mailto: URL');
  }
  return studio;
}

/** The origin an https: logo is loaded from (the CSP must allow it), or `undefined` for 'self'. */
function logoOrigin(studio: StudioBranding | undefined): string | undefined {
  const logo = studio?.logoUrl;
  if (logo === undefined || logo.startsWith('/')) return undefined;
  return parseUrl(logo)?.origin;
}

/**
 * A-Frame 1.8.0 injects its stylesheet with JavaScript: first an empty `<style>`, then its CSS.
 * Allowing exactly these two by hash keeps 'unsafe-inline' out (a new A-Frame version changes
 * the second hash: the browser test then reports the violation; viewer.css carries the few
 * A-Frame rules the page needs, so the page still works meanwhile).
 */
const AFRAME_STYLE_HASHES = [
  "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", // '' (the empty <style>)
  "'sha256-v7XYwoR6kd4w8P/jKJwhD8xtQ9lX51WNsDeaJBRcNMc='", // aframe.css of 1.8.0
];

/**
 * CSP of the ready page: the tightest that A-Frame 1.8.0 + AR.js 3.4.8 run under with no
 * violation (measured in the browser test, which fails on any violation):
 * - script-src 'unsafe-eval': the ARToolKit tracker is Emscripten wasm whose embind glue builds
 *   its bindings with `new Function` (embind's `createNamedFunction`: `new Function("body",
 *   "return function " + name + …)` in aframe-ar-nft.js), on the page and in the NFT worker.
 *   Proven again for issue 9: with 'wasm-unsafe-eval' instead, every run of
 *   test/e2e/viewer.browser.test.ts fails with "Error while intizalizing arController
 *   EvalError: Evaluating a string as JavaScript violates … script-src 'self'
 *   'wasm-unsafe-eval'" thrown at `new Function` in the worker, and the marker never loads.
 *   No 'unsafe-inline': the page has no inline script (its config is a JSON data block).
 * - worker-src blob:: AR.js starts its NFT worker from a Blob URL of inlined code.
 * - connect-src 'self' data:: marker files and camera parameters (XHR/fetch, worker included),
 *   the analytics beacon; data: because Emscripten first fetch()es its inlined data: wasm
 *   (then falls back) — harmless, a data: URL reaches no server.
 * - img-src/media-src 'self': the poster and the video; the camera is a MediaStream, no URL.
 */
export const READY_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval'",
  'worker-src blob:',
  "connect-src 'self' data:",
  "img-src 'self'",
  "media-src 'self'",
  `style-src 'self' ${AFRAME_STYLE_HASHES.join(' ')}`,
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** CSP of the pages without AR (processing, failed, no video, not found, server error): no script. */
export const STATIC_PAGE_CSP = [
  "default-src 'none'",
  "img-src 'self'",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The page's CSP. Only a studio logo on another (https:) origin widens it, and only `img-src`,
 * and only by that one origin.
 */
export function pageCsp(page: ViewerPage, studio?: StudioBranding): string {
  const csp = page.status === 'ready' ? READY_PAGE_CSP : STATIC_PAGE_CSP;
  const origin = logoOrigin(studio);
  return origin === undefined ? csp : csp.replace("img-src 'self'", `img-src 'self' ${origin}`);
}

interface Words {
  locale: ViewerLocale;
  text: ViewerText;
  studio: StudioBranding;
}

function words(ctx: PageContext): Words {
  const locale = ctx.locale ?? 'ru';
  return {
    locale,
    text: viewerText(locale),
    studio: checkStudioBranding(ctx.studio ?? DEFAULT_STUDIO),
  };
}

/**
 * Logo, studio name and the language switch: plain links, so they work on the pages without
 * script too. `langBase` is the path the links keep ('' = this page's own URL).
 */
function brandHeader(w: Words, langBase: string, showName: boolean): string {
  const logo =
    w.studio.logoUrl === undefined
      ? ''
      : // Decorative: the studio's name is always written next to it (header or heading).
        `<img class="vx-brand-logo" src="${escapeHtml(w.studio.logoUrl)}" alt="" decoding="async">\n`;
  const name = showName ? `<p class="vx-brand-name">${escapeHtml(w.studio.name)}</p>\n` : '';
  const links = VIEWER_LOCALES.map((locale) => {
    const current = locale === w.locale ? ' aria-current="true"' : '';
    return `<a class="vx-lang-link" href="${escapeHtml(`${langBase}?lang=${locale}`)}" hreflang="${locale}" lang="${locale}"${current}>${escapeHtml(viewerText(locale).languageName)}</a>`;
  }).join('\n');
  return `<header class="vx-brand">
${logo}${name}<nav class="vx-lang" aria-label="${escapeHtml(w.text.languageSwitch)}">
${links}
</nav>
</header>`;
}

/** The studio's contact link, when configured (nothing otherwise). */
function brandFooter(w: Words): string {
  if (w.studio.contactUrl === undefined) return '';
  return `
<footer class="vx-footer">
<a class="vx-contact" href="${escapeHtml(w.studio.contactUrl)}" rel="noopener">${escapeHtml(w.text.contactStudio)}</a>
</footer>`;
}

function head(w: Words, ctx: PageContext, title: string, extra = ''): string {
  return `<!doctype html>
<html lang="${escapeHtml(w.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="dark">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(ctx.assets.style)}">${extra}
</head>`;
}

function messagePage(
  ctx: PageContext,
  status: string,
  heading: string,
  message: string,
  extraHead = '',
): string {
  const w = words(ctx);
  // No <base> on these pages: a bare `?lang=` keeps whatever URL the buyer opened.
  return `${head(w, ctx, `${w.studio.name} · ${heading}`, extraHead)}
<body class="vx vx-message" data-state="${escapeHtml(status)}">
${brandHeader(w, '', true)}
<main class="vx-card">
<h1 class="vx-title">${escapeHtml(heading)}</h1>
<p class="vx-text" id="vx-message">${escapeHtml(message)}</p>
</main>${brandFooter(w)}
</body>
</html>
`;
}

function readyPage(page: ReadyPage, ctx: PageContext): string {
  const w = words(ctx);
  const { text } = w;
  const pagePath = requireSameOrigin('pagePath', page.pagePath);
  const title = `${w.studio.name} · ${text.productName}`;
  const markerUrl = requireRelative('markerUrl', page.markerUrl);
  const videoUrl = requireSameOrigin('videoUrl', page.videoUrl);
  const posterUrl =
    page.posterUrl === undefined ? undefined : requireSameOrigin('posterUrl', page.posterUrl);
  const analyticsUrl =
    page.analyticsUrl === undefined
      ? undefined
      : requireSameOrigin('analyticsUrl', page.analyticsUrl);
  const plane = videoPlane(page.marker);
  const { widthMm, heightMm } = printSizeMm(page.marker);
  const cameraParams = ctx.assets.cameraParams.replace(/^\/+/, '');
  const arjs = [
    'sourceType: webcam',
    'debugUIEnabled: false',
    'trackingMethod: best',
    `cameraParametersUrl: ${cameraParams}`,
    'errorPopup: vx-arjs-error',
  ].join('; ');
  const config = {
    markerUrl,
    markerFiles: ['fset', 'iset', 'fset3'],
    print: { widthMm, heightMm },
    engine: [ctx.assets.aframe, ctx.assets.arjs],
    cameraParamsDir: ctx.assets.cameraParamsDir.replace(/^\/+/, ''),
    analyticsUrl: analyticsUrl ?? null,
    locale: w.locale,
    text,
  };
  const preload = `
<link rel="preload" as="script" href="${escapeHtml(ctx.assets.aframe)}">
<link rel="preload" as="script" href="${escapeHtml(ctx.assets.arjs)}">`;
  const poster =
    posterUrl === undefined
      ? ''
      : `<img class="vx-poster" src="${escapeHtml(posterUrl)}" alt="" decoding="async">\n`;

  // <base href="/">: AR.js resolves the marker in its worker as origin + '/' + url, and the
  // camera parameters on the page with the document's base: both must mean the origin root.
  return `${head(w, ctx, title, `\n<base href="/">${preload}`)}
<body class="vx vx-ready" data-state="ready">
<div class="vx-overlay" id="vx-overlay">
${brandHeader(w, pagePath, false)}
<main class="vx-card">
${poster}<h1 class="vx-title">${escapeHtml(title)}</h1>
<p class="vx-text">${escapeHtml(text.lead)}</p>
<progress id="vx-progress" class="vx-progress" max="100" value="0"></progress>
<p id="vx-status" class="vx-status" role="status" aria-live="polite">${escapeHtml(text.loadingEngine)}</p>
<button id="vx-start" class="vx-button" type="button" disabled>${escapeHtml(text.start)}</button>
<div id="vx-error" class="vx-error" role="alert" hidden>
<p id="vx-error-text"></p>
<button id="vx-retry" class="vx-button vx-button-secondary" type="button">${escapeHtml(text.retry)}</button>
</div>
<noscript><p class="vx-error">${escapeHtml(text.noScript)}</p></noscript>
</main>${brandFooter(w)}
</div>
<div id="vx-hud" class="vx-hud" hidden>
<p id="vx-hint" class="vx-hint">${escapeHtml(text.aim)}</p>
<button id="vx-sound" class="vx-button vx-sound" type="button" hidden>${escapeHtml(text.tapForSound)}</button>
</div>
<div id="vx-arjs-error" class="vx-arjs-error" hidden></div>
<video id="vx-video" class="vx-video-source" src="${escapeHtml(videoUrl)}" preload="auto" loop muted playsinline webkit-playsinline crossorigin="anonymous"></video>
<template id="vx-scene-template">
<a-scene embedded arjs="${escapeHtml(arjs)}" renderer="logarithmicDepthBuffer: true; precision: medium; antialias: false; alpha: true" vr-mode-ui="enabled: false" loading-screen="enabled: false" device-orientation-permission-ui="enabled: false">
<a-nft id="vx-nft" type="nft" url="${escapeHtml(markerUrl)}" smooth="true" smooth-count="10" smooth-tolerance="0.01" smooth-threshold="5">
<a-video id="vx-plane" src="#vx-video" width="${plane.width}" height="${plane.height}" position="${plane.position}" rotation="${plane.rotation}"></a-video>
</a-nft>
<a-entity camera></a-entity>
</a-scene>
</template>
<script type="application/json" id="vx-config">${jsonForScript(config)}</script>
<script src="${escapeHtml(ctx.assets.arHost)}"></script>
<script src="${escapeHtml(ctx.assets.script)}"></script>
</body>
</html>
`;
}

/** The complete HTML document for one state. */
export function renderViewerPage(page: ViewerPage, ctx: PageContext): string {
  const text = viewerText(ctx.locale ?? 'ru');
  switch (page.status) {
    case 'ready':
      return readyPage(page, ctx);
    case 'processing': {
      const seconds = Math.min(Math.max(Math.round(page.refreshSeconds ?? 10), 2), 300);
      return messagePage(
        ctx,
        'processing',
        text.processingTitle,
        text.processing,
        `\n<meta http-equiv="refresh" content="${seconds}">`,
      );
    }
    case 'failed':
      return messagePage(ctx, 'failed', text.failedTitle, text.failed);
    case 'no_video':
      return messagePage(ctx, 'no_video', text.noVideoTitle, text.noVideo);
    case 'not_found':
      return messagePage(ctx, 'not_found', text.notFoundTitle, text.notFound);
    case 'server_error':
      // To the buyer (and the page's tests) it is the failed state; only the words differ.
      return messagePage(ctx, 'failed', text.serverErrorTitle, text.serverError);
  }
}
