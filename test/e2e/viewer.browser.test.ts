import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PIXEL_7, ViewerSession } from '../support/browser.js';
import {
  buildCameraFile,
  differentImage,
  straightQuad,
  tiltedQuad,
  type CameraFile,
} from '../support/camera.js';
import {
  expectCleanRun,
  expectVideoOnPrint,
  markerRequests,
  shotPath,
  summary,
  withDiagnostics,
} from '../support/viewer-checks.js';
import {
  ODD_SLUG,
  READY_SLUG,
  STUDIO_NAME,
  startViewerFixture,
  type ReadyMarkerFixture,
  type ViewerFixture,
  type ViewerServer,
} from '../support/viewer-server.js';

/**
 * The public AR page end to end: a real Chromium with a fake camera looking at a print, the
 * page and its runtime served by the viewer routes, AR.js tracking the print and the video
 * playing on it. Negative cameras (nothing, another picture) must never find the marker while
 * the tracker provably examined their frames.
 *
 * KEEP_VIEWER_TMP=1 keeps the camera files (.y4m, frames as .png) and screenshots.
 */

const FOUND_WITHIN_MS = 45_000;
/** Negative runs: more than this many tracker frames without a find... */
const NEGATIVE_FRAMES = 50;
/** ...spanning at least this long, so they cover every frame of the looped camera file. */
const NEGATIVE_MS = 6_000;

// ---------------------------------------------------------------------------------------------

let workDir: string;
let fixture: ReadyMarkerFixture;
let server: ViewerServer;
let printAspect: number;
let viewer: ViewerFixture;

beforeAll(async () => {
  viewer = await startViewerFixture();
  ({ workDir, fixture, server, printAspect } = viewer);
}, 180_000);

afterAll(async () => {
  await viewer.close();
});

const THIRD_PARTY = /(?:https?:)?\/\/(?!127\.0\.0\.1[:/])[a-z0-9.-]+\.[a-z]{2,}/i;

/** The page as an English-speaking buyer's phone asks for it. */
const getPage = (slug: string): Promise<Response> =>
  fetch(`${server.baseUrl}/p/${slug}`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });

describe('viewer pages over HTTP', () => {
  it('renders the ready page with its own CSP, no third-party URL, every value escaped', async () => {
    const response = await getPage(READY_SLUG);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
    const html = await response.text();
    expect(html).not.toMatch(THIRD_PARTY);
    expect(html).toContain('Studio &lt;b&gt;&quot;demo&quot;&lt;/b&gt; &amp; friends');
    expect(html).not.toContain('<b>"demo"</b>');
    expect(html).toContain(`url="markers/${fixture.portraitId}/${fixture.version}/marker"`);
    expect(html).toContain('rotation="-90 0 0"');
    expect(html).toContain('<base href="/">');
    expect(server.views).toContain(`${READY_SLUG}:ready`);
  });

  it.each([
    ['still-processing', 200, 'processing', 'still being prepared'],
    ['marker-failed', 200, 'failed', 'cannot be shown at the moment'],
    ['no-video-now', 200, 'no_video', 'This portrait has no video right now'],
    ['nobody-has-this-slug', 404, 'not_found', 'There is no living portrait at this address'],
    ['bad%20slug%3Cscript%3E', 404, 'not_found', 'There is no living portrait at this address'],
    ['lookup-explodes', 500, 'failed', 'could not be loaded'],
  ])('GET /p/%s answers %i with the %s page', async (slug, status, state, words) => {
    const response = await getPage(slug);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    const html = await response.text();
    expect(html).toContain(`data-state="${state}"`);
    expect(html).toContain(words);
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(THIRD_PARTY);
    if (state === 'processing') expect(html).toMatch(/<meta http-equiv="refresh" content="\d+">/);
  });

  it('serves the runtime immutable, compressed, with ETags and 304s', async () => {
    const html = await (await getPage(READY_SLUG)).text();
    const paths = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1] ?? '');
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/static\/vendor\/aframe-1\.8\.0\.min\.js$/),
        expect.stringMatching(/^\/static\/vendor\/aframe-ar-nft-3\.4\.8-[0-9a-f]{16}\.js$/),
        expect.stringMatching(/^\/static\/viewer\/[0-9a-f]{16}\/ar-host\.js$/),
        expect.stringMatching(/^\/static\/viewer\/[0-9a-f]{16}\/viewer\.js$/),
        expect.stringMatching(/^\/static\/viewer\/[0-9a-f]{16}\/viewer\.css$/),
      ]),
    );
    const arjs = paths.find((p) => p.includes('aframe-ar-nft')) ?? '';
    const gz = await fetch(`${server.baseUrl}${arjs}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(gz.headers.get('vary')).toBe('Accept-Encoding');
    const etag = gz.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}-gz"$/);
    expect((await gz.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000); // fetch decodes
    const again = await fetch(`${server.baseUrl}${arjs}`, {
      headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag.replace('-gz', ''));
    const camera = html.match(
      /cameraParametersUrl: (static\/vendor\/camera_para-[0-9a-f]{16}\.dat)/,
    );
    expect(camera).not.toBeNull();
    const params = await fetch(`${server.baseUrl}/${camera?.[1] ?? ''}`);
    expect(params.status).toBe(200);
    expect((await params.arrayBuffer()).byteLength).toBe(176);
  });

  it('serves marker files immutable, brotli for .fset3, 404 for anything else', async () => {
    const base = `${server.baseUrl}/markers/${fixture.portraitId}/${fixture.version}/marker`;
    const fset3 = await fetch(`${base}.fset3`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(fset3.status).toBe(200);
    expect(fset3.headers.get('content-encoding')).toBe('br');
    expect(fset3.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const size = Number(fset3.headers.get('x-decoded-length'));
    expect((await fset3.arrayBuffer()).byteLength).toBe(size);
    const iset = await fetch(`${base}.iset`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(iset.headers.get('content-encoding')).toBeNull(); // JPEG inside: no gain
    const etag = iset.headers.get('etag') ?? '';
    await iset.arrayBuffer();
    expect((await fetch(`${base}.iset`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${base}.png`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/markers/other/1/marker.iset`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/markers/..%2F..%2Fetc/1/marker.iset`)).status).toBe(400);
  });

  it('accepts the page analytics beacon and rejects anything else', async () => {
    const ok = await fetch(`${server.baseUrl}/p/${READY_SLUG}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'start', sinceLoadMs: 1234 }),
    });
    expect(ok.status).toBe(204);
    expect(server.events.at(-1)).toMatchObject({
      slug: READY_SLUG,
      event: 'start',
      sinceLoadMs: 1234,
    });
    const bad = await fetch(`${server.baseUrl}/p/${READY_SLUG}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'drop table', sinceLoadMs: 1 }),
    });
    expect(bad.status).toBe(400);
  });
});

// ---------------------------------------------------------------------------------------------

async function proveNegative(browser: Browser, label: string): Promise<void> {
  const session = await ViewerSession.open(browser, `${server.baseUrl}/p/${READY_SLUG}`);
  await withDiagnostics(session, label, async () => {
    await session.start();
    await session.waitFor(
      `window.__vertexViewer.frames.notFoundAfterMarkerLoaded > ${NEGATIVE_FRAMES} && ` +
        `performance.now() - window.__vertexViewer.markerLoadedAt > ${NEGATIVE_MS}`,
      90_000,
    );
    const hooks = await session.hooks();
    const pageNow = await session.page.evaluate<number>('Math.round(performance.now())');
    const loaded = hooks.markerLoadedAt ?? 0;
    console.log(
      `[viewer:${label}] marker loaded at ${loaded} ms; ${hooks.frames.notFoundAfterMarkerLoaded} ` +
        `frames examined without a find in the next ${pageNow - loaded} ms; found ` +
        `${hooks.frames.found}, markerFound ${hooks.markerFoundCount}`,
    );
    expect(hooks.markerLoaded).toBe(true);
    expect(hooks.markerFoundCount).toBe(0);
    expect(hooks.frames.found).toBe(0);
    expect(hooks.stage).toBe('aim');
    expect(await session.page.isVisible('#vx-hint')).toBe(true);
    expect((await session.videoState())?.paused).toBe(true);
    await expectCleanRun(session, server);
  });
}

describe('viewer in Chromium: the print straight on', () => {
  let browser: Browser;
  let camera: CameraFile;
  beforeAll(async () => {
    camera = await buildCameraFile({
      dir: workDir,
      name: 'straight',
      print: fixture.print,
      corners: straightQuad({ width: 640, height: 480 }, printAspect),
      noise: 4,
    });
    browser = await launchBrowser(camera.path);
  }, 120_000);
  afterAll(async () => {
    await browser.close();
  });

  it('finds the print, plays the video on it with sound, covering the print', async () => {
    const before = markerRequests(server);
    const session = await ViewerSession.open(browser, `${server.baseUrl}/p/${READY_SLUG}`);
    await withDiagnostics(session, 'straight', async () => {
      await session.start();
      const foundAtMs = await session.waitForMarkerFound(FOUND_WITHIN_MS);
      const coverage = await expectVideoOnPrint(session, camera, shotPath(workDir, 'straight'));
      const hooks = await session.hooks();
      console.log(
        `[viewer:straight] markerFound ${foundAtMs} ms after navigation; corners off by ≤ ` +
          `${coverage.maxCornerErrorPx.toFixed(1)} px (print diagonal ${coverage.printDiagonalPx.toFixed(0)} px); ` +
          summary(hooks),
      );
      expect(hooks.markerInfo).toMatchObject({
        width: fixture.size.widthPx,
        height: fixture.size.heightPx,
        dpi: fixture.size.dpi,
      });
      await expectCleanRun(session, server);
      // The page prefetched the marker (progress); AR.js's worker then hit the HTTP cache.
      expect(markerRequests(server) - before).toBe(3);
      expect(server.events.map((e) => e.event)).toEqual(
        expect.arrayContaining(['start', 'camera_ready', 'marker_loaded', 'marker_found']),
      );
    });
  }, 120_000);

  it('fits a wide video to the print and corrects a wrong print size from the marker', async () => {
    const session = await ViewerSession.open(browser, `${server.baseUrl}/p/${ODD_SLUG}`);
    await withDiagnostics(session, 'odd-sizes', async () => {
      await session.start();
      await session.waitForMarkerFound(FOUND_WITHIN_MS);
      const coverage = await expectVideoOnPrint(session, camera, shotPath(workDir, 'odd-sizes'));
      const hooks = await session.hooks();
      const types = hooks.events.map((e) => e.type);
      expect(types).toContain('marker-size-corrected');
      expect(types).toContain('video-cropped');
      console.log(
        `[viewer:odd-sizes] corners off by ≤ ${coverage.maxCornerErrorPx.toFixed(1)} px after ` +
          'correcting the plane size and cropping the video',
      );
      await expectCleanRun(session, server);
    });
  }, 120_000);
});

describe('viewer in Chromium: the print tilted, noisy, coming and going', () => {
  let browser: Browser;
  let camera: CameraFile;
  beforeAll(async () => {
    camera = await buildCameraFile({
      dir: workDir,
      name: 'tilted',
      // A 4:3 camera on a portrait screen: the page shows the middle of the image (cover), so
      // the print is kept small enough to be fully on screen. Portrait streams and phone rules:
      // viewer-phone.browser.test.ts.
      scenes: [
        {
          print: fixture.print,
          corners: tiltedQuad({ width: 640, height: 480 }, printAspect, 0.6),
          seconds: 6,
        },
        { seconds: 2.5 },
      ],
      noise: 10,
    });
    browser = await launchBrowser(camera.path);
  }, 120_000);
  afterAll(async () => {
    await browser.close();
  });

  it('on a portrait phone screen: pauses when the print leaves, resumes on it when it returns', async () => {
    const session = await ViewerSession.open(browser, `${server.baseUrl}/p/${READY_SLUG}`, {
      viewport: { width: 360, height: 640 },
    });
    await withDiagnostics(session, 'tilted', async () => {
      await session.page.locator('#vx-start:not([disabled])').waitFor({ timeout: 60_000 });
      await session.screenshot(path.join(workDir, 'start-screen.png'));
      await session.start();
      const foundAtMs = await session.waitForMarkerFound(FOUND_WITHIN_MS);
      await session.waitFor('window.__vertexViewer.markerLostCount > 0', 15_000);
      expect((await session.videoState())?.paused).toBe(true);
      expect(await session.page.isVisible('#vx-hint')).toBe(true);
      await session.waitFor('window.__vertexViewer.markerFoundCount > 1', 15_000);
      const coverage = await expectVideoOnPrint(session, camera, shotPath(workDir, 'tilted'));
      const hooks = await session.hooks();
      const lost = hooks.events.filter((e) => e.type === 'markerLost').map((e) => e.t);
      console.log(
        `[viewer:tilted] markerFound ${foundAtMs} ms after navigation; lost at ${lost.join(', ')} ms; ` +
          `corners off by ≤ ${coverage.maxCornerErrorPx.toFixed(1)} px (print diagonal ` +
          `${coverage.printDiagonalPx.toFixed(0)} px); ${summary(hooks)}`,
      );
      await expectCleanRun(session, server);
    });
  }, 120_000);
});

describe('viewer in Chromium: a camera that sees no print', () => {
  let browser: Browser;
  beforeAll(async () => {
    const camera = await buildCameraFile({ dir: workDir, name: 'blank', noise: 10, seconds: 2 });
    browser = await launchBrowser(camera.path);
  }, 120_000);
  afterAll(async () => {
    await browser.close();
  });

  it('never finds the marker while the tracker examines frames', async () => {
    await proveNegative(browser, 'blank');
  }, 120_000);

  it.each([
    ['camera_denied', 'NotAllowedError', 'Camera access was denied'],
    ['no_camera', 'NotFoundError', 'No camera was found'],
    ['camera_error', 'NotReadableError', 'being used by another app'],
  ])(
    'explains %s (getUserMedia fails with %s)',
    async (kind, errorName, words) => {
      const session = await ViewerSession.open(browser, `${server.baseUrl}/p/${READY_SLUG}`, {
        initScript: `navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('fake', ${JSON.stringify(errorName)}));`,
      });
      await withDiagnostics(session, kind, async () => {
        await session.start();
        await session.page.locator('#vx-error').waitFor({ state: 'visible', timeout: 20_000 });
        expect(await session.page.getAttribute('#vx-error', 'data-kind')).toBe(kind);
        expect(await session.page.textContent('#vx-error-text')).toContain(words);
        expect(await session.page.isVisible('#vx-retry')).toBe(true);
        await session.waitFor(`window.__vertexViewer.stage === 'error'`, 5_000);
      });
    },
    60_000,
  );

  it('in Russian: camera denied, the video plays on its own, full screen, with sound', async () => {
    const session = await ViewerSession.open(browser, `${server.baseUrl}/p/${READY_SLUG}`, {
      locale: 'ru-RU',
      phone: PIXEL_7,
      initScript: `navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('fake', 'NotAllowedError'));`,
    });
    await withDiagnostics(session, 'denied-fallback', async () => {
      expect(await session.page.getAttribute('html', 'lang')).toBe('ru');
      expect(await session.page.textContent('#vx-start')).toBe('Начать');
      expect(await session.page.title()).toContain(STUDIO_NAME);
      await session.start();
      await session.page.locator('#vx-error').waitFor({ state: 'visible', timeout: 20_000 });
      expect(await session.page.textContent('#vx-error-text')).toContain('Доступ к камере');
      await session.page.locator('#vx-play-video').tap();
      await session.waitFor(`window.__vertexViewer.stage === 'video'`, 5_000);
      await session.waitFor('window.__vertexViewer.video().currentTime > 0.5', 10_000);
      const state = await session.videoState();
      expect(state?.paused).toBe(false);
      expect(state?.muted).toBe(false);
      const box = await session.page.locator('#vx-player video').boundingBox();
      expect(box).toMatchObject({ x: 0, width: PIXEL_7.width });
      expect(server.events.map((e) => e.event)).toContain('video_fallback');
      await session.page.getByRole('button', { name: 'Закрыть' }).tap();
      expect(await session.page.isVisible('#vx-player')).toBe(false);
      expect((await session.videoState())?.paused).toBe(true);
    });
  }, 60_000);

  it('starts a fresh tracker when the camera stream turns (a phone rotated)', async () => {
    // A camera whose frames turn from 640×480 to 480×640 on demand, as a phone's stream does when
    // the phone is turned upright (Chromium's file camera cannot turn).
    const session = await ViewerSession.open(browser, `${server.baseUrl}/p/${READY_SLUG}`, {
      initScript: `navigator.mediaDevices.getUserMedia = () => {
        const canvas = document.createElement('canvas');
        canvas.width = 640;
        canvas.height = 480;
        const g = canvas.getContext('2d');
        let n = 0;
        setInterval(() => {
          n += 1;
          g.fillStyle = n % 2 ? '#777' : '#888';
          g.fillRect(0, 0, canvas.width, canvas.height);
        }, 50);
        window.__turnCamera = () => { canvas.width = 480; canvas.height = 640; };
        return Promise.resolve(canvas.captureStream(20));
      };`,
    });
    await withDiagnostics(session, 'stream-turns', async () => {
      await session.start();
      await session.waitFor('window.__vertexViewer.frames.notFoundAfterMarkerLoaded > 5', 60_000);
      expect((await session.hooks()).tracker?.frame).toEqual({ width: 320, height: 240 });
      await session.page.evaluate('window.__turnCamera()');
      await session.waitFor(
        "window.__vertexViewer.events.some((e) => e.type === 'tracker-restart')",
        15_000,
      );
      const restartedAt = (await session.hooks()).frames.processed;
      await session.waitFor(`window.__vertexViewer.frames.processed > ${restartedAt + 10}`, 30_000);
      const hooks = await session.hooks();
      expect(hooks.tracker).toEqual({
        stream: { width: 480, height: 640 },
        frame: { width: 240, height: 320 },
      });
      expect(hooks.frames.found).toBe(0);
      await expectCleanRun(session, server);
    });
  }, 90_000);

  it('says so when the marker files are missing, before anyone taps Start', async () => {
    const session = await ViewerSession.open(browser, `${server.baseUrl}/p/marker-missing`);
    await withDiagnostics(session, 'marker-missing', async () => {
      await session.page.locator('#vx-error').waitFor({ state: 'visible', timeout: 20_000 });
      expect(await session.page.getAttribute('#vx-error', 'data-kind')).toBe('load_error');
      expect(await session.page.isVisible('#vx-start')).toBe(false);
    });
  }, 30_000);

  it.each([
    ['no getUserMedia', `Object.defineProperty(navigator, 'mediaDevices', { value: undefined });`],
    [
      'no WebGL',
      `const original = HTMLCanvasElement.prototype.getContext;
       HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
         return /webgl/.test(type) ? null : original.call(this, type, ...rest);
       };`,
    ],
  ])(
    'says the browser is unsupported (%s) without loading the runtime',
    async (label, initScript) => {
      const session = await ViewerSession.open(browser, `${server.baseUrl}/p/${READY_SLUG}`, {
        initScript,
      });
      await withDiagnostics(session, label, async () => {
        await session.page.locator('#vx-error').waitFor({ state: 'visible', timeout: 10_000 });
        expect(await session.page.getAttribute('#vx-error', 'data-kind')).toBe('unsupported');
        expect(await session.page.textContent('#vx-error-text')).toContain(
          'cannot show the living portrait',
        );
        expect(await session.page.isVisible('#vx-start')).toBe(false);
        // (The runtime is preloaded by <link rel=preload>, but never executed.)
        expect(await session.page.evaluate<boolean>('window.AFRAME === undefined')).toBe(true);
      });
    },
    30_000,
  );
});

describe('viewer in Chromium: a camera that sees another picture', () => {
  let browser: Browser;
  beforeAll(async () => {
    const other = await differentImage();
    const camera = await buildCameraFile({
      dir: workDir,
      name: 'other',
      print: other,
      corners: straightQuad({ width: 640, height: 480 }, 0.8),
      noise: 4,
    });
    browser = await launchBrowser(camera.path);
  }, 120_000);
  afterAll(async () => {
    await browser.close();
  });

  it('never finds the marker while the tracker examines frames', async () => {
    await proveNegative(browser, 'other');
  }, 120_000);
});
