import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewerText } from '../../src/modules/viewer/viewer.i18n.js';
import type { ViewerHooks } from '../support/browser.js';
import { summary } from '../support/viewer-checks.js';
import { READY_SLUG, startViewerFixture, type ViewerFixture } from '../support/viewer-server.js';
import { webkitAvailable, WebKitSession } from '../support/webkit.js';

/**
 * The public AR page in WebKit (Debian's WebKitGTK through WebKitWebDriver): Safari's engine,
 * the closest this machine has to iOS. Its mock camera shows a test pattern, not a print, so
 * this proves the whole runtime runs — A-Frame, the patched AR.js, the NFT worker (wasm), WebGL,
 * getUserMedia — and that the tracker examines frames without false finds; placing the video
 * on a print is proven in Chromium (viewer.browser / viewer-phone tests).
 *
 * KEEP_VIEWER_TMP=1 keeps the screenshot (webkit-ar-screenshot.png in the fixture's folder).
 */

const available = webkitAvailable();
if (!available) {
  if (process.env.CI === 'true') {
    throw new Error(
      'WebKitWebDriver / MiniBrowser / Xvfb missing: scripts/test.sh installs webkit2gtk-driver xvfb',
    );
  }
  console.warn('WARNING: WebKit tests skipped (apt-get install webkit2gtk-driver xvfb)');
}

interface ArState {
  hooks: ViewerHooks;
  camera: { videoWidth: number; videoHeight: number; readyState: number } | null;
  /** The scene's canvas (device pixels) and its rendering context. */
  canvas: { width: number; height: number; webgl2: boolean; lost: boolean } | null;
  devicePixelRatio: number;
  innerWidth: number;
  innerHeight: number;
  scrollWidth: number;
}

const AR_STATE = `(() => {
  const scene = document.querySelector('a-scene');
  const gl = scene && scene.renderer ? scene.renderer.getContext() : null;
  const video = document.getElementById('arjs-video');
  return {
    hooks: window.__vertexViewer,
    camera: video
      ? { videoWidth: video.videoWidth, videoHeight: video.videoHeight, readyState: video.readyState }
      : null,
    canvas: scene && scene.canvas
      ? {
          width: scene.canvas.width,
          height: scene.canvas.height,
          webgl2: typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext,
          lost: gl ? gl.isContextLost() : true,
        }
      : null,
    devicePixelRatio: window.devicePixelRatio,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    scrollWidth: document.documentElement.scrollWidth,
  };
})()`;

describe.runIf(available)('viewer in WebKit', () => {
  let viewer: ViewerFixture | undefined;
  let webkit: WebKitSession | undefined;
  const ready = (): { viewer: ViewerFixture; session: WebKitSession } => {
    if (viewer === undefined || webkit === undefined) throw new Error('set-up failed');
    return { viewer, session: webkit };
  };

  beforeAll(async () => {
    viewer = await startViewerFixture();
    webkit = await WebKitSession.start();
  }, 120_000);

  afterAll(async () => {
    try {
      await webkit?.close();
    } finally {
      await viewer?.close();
    }
  });

  it('runs the AR page: engine, mock camera, marker, tracker frames, no false find', async () => {
    const { viewer, session } = ready();
    try {
      const opening = Date.now();
      await session.open(`${viewer.server.baseUrl}/p/${READY_SLUG}?lang=en`);
      const loadMs = Date.now() - opening;
      await session.waitFor(
        "document.getElementById('vx-start') && !document.getElementById('vx-start').disabled",
        60_000,
      );
      await session.click('#vx-start');
      await session.waitFor('window.__vertexViewer.markerLoaded', 60_000);
      await session.waitFor('window.__vertexViewer.frames.notFoundAfterMarkerLoaded > 20', 60_000);
      // Tracker frames per second over 2 s of page time.
      const count = '[window.__vertexViewer.frames.processed, performance.now()]';
      const [framesBefore, before] = await session.evaluate<[number, number]>(count);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const [framesAfter, after] = await session.evaluate<[number, number]>(count);
      const fps = ((framesAfter - framesBefore) * 1000) / (after - before);

      const state = await session.evaluate<ArState>(AR_STATE);
      const { hooks } = state;
      const enabledAt = hooks.events.find((e) => e.type === 'stage' && e.detail === 'ready')?.t;
      const markerMs = (hooks.markerLoadedAt ?? NaN) - (hooks.startedAt ?? NaN);
      console.log(
        `[viewer-webkit] page loaded in ${loadMs} ms (WebDriver), Start enabled at ` +
          `${enabledAt} ms page time, marker loaded ${markerMs} ms after Start; tracker ` +
          `${fps.toFixed(1)} frames/s, ${hooks.frames.notFoundAfterMarkerLoaded} frames examined ` +
          `after the marker loaded, ${hooks.frames.found} found; camera ` +
          `${state.camera?.videoWidth}×${state.camera?.videoHeight}, tracker frame ` +
          `${JSON.stringify(hooks.tracker?.frame)}; canvas ${state.canvas?.width}×` +
          `${state.canvas?.height} (WebGL2 ${state.canvas?.webgl2}) in a ${state.innerWidth}×` +
          `${state.innerHeight} window at DPR ${state.devicePixelRatio}`,
      );

      expect(hooks.cspViolations).toEqual([]);
      expect(hooks.errors).toEqual([]);
      expect(enabledAt).toBeGreaterThan(0);
      expect(hooks.markerLoaded).toBe(true);
      expect(markerMs).toBeGreaterThan(0);
      expect(hooks.stage).toBe('aim');
      // The mock camera delivers frames, the tracker examines them, and never finds the print.
      expect(state.camera?.readyState).toBeGreaterThanOrEqual(2);
      expect(state.camera?.videoWidth).toBeGreaterThan(0);
      expect(hooks.tracker?.stream.width).toBe(state.camera?.videoWidth);
      expect(hooks.frames.notFoundAfterMarkerLoaded).toBeGreaterThan(20);
      expect(fps).toBeGreaterThan(0);
      expect(hooks.frames.found).toBe(0);
      expect(hooks.markerFoundCount).toBe(0);
      // A live WebGL2 canvas within the window's device pixels; nothing wider than the window.
      // (The page draws the canvas empty while the print is not tracked: no pixels to check.)
      const canvas = state.canvas;
      expect(canvas).toMatchObject({ webgl2: true, lost: false });
      expect(canvas?.width).toBeGreaterThan(0);
      expect(canvas?.height).toBeGreaterThan(0);
      const dpr = state.devicePixelRatio;
      expect(canvas?.width).toBeLessThanOrEqual(Math.ceil(state.innerWidth * dpr));
      expect(canvas?.height).toBeLessThanOrEqual(Math.ceil(state.innerHeight * dpr));
      expect(state.scrollWidth).toBeLessThanOrEqual(state.innerWidth);
      const png = await session.screenshot(path.join(viewer.workDir, 'webkit-ar-screenshot.png'));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    } catch (error) {
      const hooks = await session
        .evaluate<ViewerHooks | null>('window.__vertexViewer')
        .catch(() => null);
      console.error(
        `[viewer-webkit] failed; events: ${hooks ? summary(hooks) : 'none'}\n` +
          `hooks: ${JSON.stringify(hooks).slice(0, 4000)}\nserver errors: ${viewer.server.errors.join(', ') || 'none'}`,
      );
      await session.screenshot(path.join(viewer.workDir, 'webkit-failed.png')).catch(() => null);
      throw error;
    }
  }, 150_000);

  it('renders a page without script in Russian', async () => {
    const { viewer, session } = ready();
    await session.open(`${viewer.server.baseUrl}/p/still-processing?lang=ru`);
    const page = await session.evaluate<{ lang: string; text: string; scripts: number }>(
      '({ lang: document.documentElement.lang, text: document.body.innerText, scripts: document.scripts.length })',
    );
    expect(page.lang).toBe('ru');
    expect(page.text).toContain(viewerText('ru').processingTitle);
    expect(page.text).toContain(viewerText('ru').processing);
    expect(page.scripts).toBe(0);
  }, 60_000);
});
