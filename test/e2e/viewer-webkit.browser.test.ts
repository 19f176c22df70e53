import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_SLUG, startViewerFixture, type ViewerFixture } from '../support/viewer-server.js';
import { webkitAvailable, WebKitSession } from '../support/webkit.js';

/**
 * The public AR page in WebKit (Debian's WebKitGTK through WebKitWebDriver): Safari's engine,
 * the closest this machine has to iOS. Its mock camera shows a test pattern, not a print, so
 * this proves the whole runtime runs — A-Frame, the patched AR.js, the NFT worker (wasm), WebGL,
 * getUserMedia — and that the tracker examines frames without false finds; placing the video
 * on a print is proven in Chromium (viewer.browser / viewer-phone tests).
 */

const available = webkitAvailable();
if (!available) {
  if (process.env.CI === 'true') {
    throw new Error(
      'WebKitWebDriver / Xvfb missing: scripts/test.sh installs webkit2gtk-driver xvfb',
    );
  }
  console.warn('WARNING: WebKit tests skipped (apt-get install webkit2gtk-driver xvfb)');
}

describe.runIf(available)('viewer in WebKit', () => {
  let viewer: ViewerFixture;
  let session: WebKitSession;

  beforeAll(async () => {
    viewer = await startViewerFixture();
    session = await WebKitSession.start();
  }, 180_000);

  afterAll(async () => {
    await session.close();
    await viewer.close();
  });

  it('runs the AR page: engine, mock camera, marker, tracker frames, no false find', async () => {
    const opened = Date.now();
    await session.open(`${viewer.server.baseUrl}/p/${READY_SLUG}?lang=en`);
    await session.waitFor(
      "document.getElementById('vx-start') && !document.getElementById('vx-start').disabled",
      60_000,
    );
    const engineMs = Date.now() - opened;
    await session.click('#vx-start');
    const started = Date.now();
    await session.waitFor('window.__vertexViewer.markerLoaded', 60_000);
    const markerMs = Date.now() - started;
    await session.waitFor('window.__vertexViewer.frames.notFoundAfterMarkerLoaded > 20', 60_000);
    const state = await session.evaluate<{
      frames: { processed: number; found: number };
      tracker: { stream: { width: number; height: number }; frame: object } | null;
      stage: string;
      cspViolations: unknown[];
      errors: string[];
      canvas: { width: number; height: number } | null;
      dpr: number;
      innerWidth: number;
      scrollWidth: number;
    }>(`(() => {
      const h = window.__vertexViewer;
      const c = document.querySelector('a-scene canvas');
      return {
        frames: h.frames, tracker: h.tracker, stage: h.stage, cspViolations: h.cspViolations,
        errors: h.errors, canvas: c ? { width: c.width, height: c.height } : null,
        dpr: window.devicePixelRatio, innerWidth: window.innerWidth,
        scrollWidth: document.documentElement.scrollWidth,
        innerHeight: window.innerHeight,
      };
    })()`);
    console.log(
      `[viewer-webkit] Start enabled ${engineMs} ms after opening; marker loaded ${markerMs} ms ` +
        `after Start; ${state.frames.processed} tracker frames, stream ` +
        `${JSON.stringify(state.tracker)}; canvas ${JSON.stringify(state.canvas)} at DPR ${state.dpr}`,
    );
    expect(state.cspViolations).toEqual([]);
    expect(state.errors).toEqual([]);
    expect(state.frames.found).toBe(0);
    expect(state.stage).toBe('aim');
    expect(state.tracker?.stream.width).toBeGreaterThan(0);
    expect(state.scrollWidth).toBeLessThanOrEqual(state.innerWidth);
    expect(state.canvas).not.toBeNull();
    expect(state.canvas?.width ?? Infinity).toBeLessThanOrEqual(
      Math.ceil(state.innerWidth * state.dpr),
    );
    expect((await session.screenshot()).length).toBeGreaterThan(1000);
  }, 150_000);

  it('renders a page without script in Russian', async () => {
    await session.open(`${viewer.server.baseUrl}/p/still-processing?lang=ru`);
    const page = await session.evaluate<{ lang: string; text: string }>(
      '({ lang: document.documentElement.lang, text: document.body.innerText })',
    );
    expect(page.lang).toBe('ru');
    expect(page.text).toMatch(/[а-яё]{4,}/i);
  }, 60_000);
});
