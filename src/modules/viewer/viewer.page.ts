import type { ViewerAssetUrls } from './viewer-assets.routes.js';
import type { ViewerMarkerSize } from './viewer.types.js';

/**
 * The public AR page as pure functions: state in, complete HTML out. Every interpolated value
 * goes through `escapeHtml` (text and attributes) or `jsonForScript` (the page's config).
 */

export interface ReadyPage {
  status: 'ready';
  title: string;
  /** Relative, no leading slash: AR.js builds `origin + '/' + url + '.fset'` in its worker. */
  markerUrl: string;
  marker: ViewerMarkerSize;
  videoUrl: string;
  posterUrl?: string;
  /** Same-origin path the page posts interaction events to (sendBeacon). */
  analyticsUrl?: string;
}

export type ViewerPage =
  | ReadyPage
  | { status: 'processing'; title?: string; refreshSeconds?: number }
  | { status: 'failed'; title?: string }
  | { status: 'no_video'; title?: string }
  | { status: 'not_found' };

/** Every word the buyer can read, in one place (a translation replaces this object). */
export const VIEWER_TEXT = {
  lang: 'en',
  productName: 'Living portrait',
  lead: 'Point your phone’s camera at the printed portrait to bring it to life.',
  start: 'Start',
  retry: 'Try again',
  loadingEngine: 'Loading the AR viewer…',
  readyToStart: 'Tap Start and allow the camera.',
  startingCamera: 'Starting the camera…',
  loadingMarker: 'Loading the portrait…',
  preparingTracker: 'Preparing the tracker…',
  slowLoading: 'This is taking longer than usual. Keep the page open…',
  aim: 'Aim your camera at the printed portrait',
  tapForSound: 'Tap for sound',
  cameraDenied:
    'Camera access was denied. Allow the camera for this site in your browser settings, then try again.',
  noCamera: 'No camera was found on this device. Open this page on a phone with a camera.',
  cameraBusy: 'The camera is being used by another app. Close that app and try again.',
  cameraError: 'The camera could not be started. Try again, or use another browser.',
  unsupported:
    'This browser cannot show the living portrait. Open this page in an up-to-date Safari (iPhone) or Chrome (Android).',
  insecure: 'The camera needs a secure connection: open this page over HTTPS.',
  loadError: 'The viewer could not be loaded. Check your connection and try again.',
  noScript: 'This page needs JavaScript to show the living portrait.',
  processingTitle: 'Almost ready',
  processing: 'This portrait is still being prepared. The page will refresh by itself in a moment.',
  failedTitle: 'Not available yet',
  failed:
    'This living portrait cannot be shown at the moment. Please contact the studio that printed it.',
  noVideoTitle: 'No video right now',
  noVideo:
    'This portrait has no video right now. The studio can add one: the same QR code will keep working.',
  serverErrorTitle: 'Something went wrong',
  serverError: 'The living portrait could not be loaded. Please try again in a moment.',
  notFoundTitle: 'Page not found',
  notFound:
    'There is no living portrait at this address. Check the link or scan the QR code again.',
};
export type ViewerText = typeof VIEWER_TEXT;

export interface PageContext {
  assets: ViewerAssetUrls;
  text?: ViewerText;
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
 *   functions with `new Function`, on the page and in the worker; with only 'wasm-unsafe-eval'
 *   it throws EvalError and the marker never loads. No 'unsafe-inline': the page has no inline
 *   script (its config is a JSON data block).
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

/** CSP of the pages without AR (processing, failed, no video, not found): no script at all. */
export const STATIC_PAGE_CSP = [
  "default-src 'none'",
  "img-src 'self'",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function pageCsp(page: ViewerPage): string {
  return page.status === 'ready' ? READY_PAGE_CSP : STATIC_PAGE_CSP;
}

function head(text: ViewerText, ctx: PageContext, title: string, extra = ''): string {
  return `<!doctype html>
<html lang="${escapeHtml(text.lang)}">
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
  title: string | undefined,
  extraHead = '',
): string {
  const text = ctx.text ?? VIEWER_TEXT;
  const name = title === undefined || title.trim() === '' ? text.productName : title;
  return `${head(text, ctx, `${name} · ${heading}`, extraHead)}
<body class="vx vx-message" data-state="${escapeHtml(status)}">
<main class="vx-card">
<h1 class="vx-title">${escapeHtml(heading)}</h1>
<p class="vx-text" id="vx-message">${escapeHtml(message)}</p>
</main>
</body>
</html>
`;
}

function readyPage(page: ReadyPage, ctx: PageContext): string {
  const text = ctx.text ?? VIEWER_TEXT;
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
    analyticsUrl: analyticsUrl ?? null,
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
  return `${head(text, ctx, page.title, `\n<base href="/">${preload}`)}
<body class="vx vx-ready" data-state="ready">
<div class="vx-overlay" id="vx-overlay">
<main class="vx-card">
${poster}<h1 class="vx-title">${escapeHtml(page.title)}</h1>
<p class="vx-text">${escapeHtml(text.lead)}</p>
<progress id="vx-progress" class="vx-progress" max="100" value="0"></progress>
<p id="vx-status" class="vx-status" role="status" aria-live="polite">${escapeHtml(text.loadingEngine)}</p>
<button id="vx-start" class="vx-button" type="button" disabled>${escapeHtml(text.start)}</button>
<div id="vx-error" class="vx-error" role="alert" hidden>
<p id="vx-error-text"></p>
<button id="vx-retry" class="vx-button vx-button-secondary" type="button">${escapeHtml(text.retry)}</button>
</div>
<noscript><p class="vx-error">${escapeHtml(text.noScript)}</p></noscript>
</main>
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
<script src="${escapeHtml(ctx.assets.script)}"></script>
</body>
</html>
`;
}

/** The complete HTML document for one state. */
export function renderViewerPage(page: ViewerPage, ctx: PageContext): string {
  const text = ctx.text ?? VIEWER_TEXT;
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
        page.title,
        `\n<meta http-equiv="refresh" content="${seconds}">`,
      );
    }
    case 'failed':
      return messagePage(ctx, 'failed', text.failedTitle, text.failed, page.title);
    case 'no_video':
      return messagePage(ctx, 'no_video', text.noVideoTitle, text.noVideo, page.title);
    case 'not_found':
      return messagePage(ctx, 'not_found', text.notFoundTitle, text.notFound, undefined);
  }
}
