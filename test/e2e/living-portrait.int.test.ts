import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortraitDetail } from '../../src/modules/portraits/portraits.schemas.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { launchBrowser, ViewerSession } from '../support/browser.js';
import { buildCameraFile, straightQuad } from '../support/camera.js';
import { fixturePortrait, postOrder } from '../support/studio.js';
import { FUNNEL_STEPS } from '../../src/infra/metrics/metrics.js';
import { scrapeApp, valueOf, type Scrape } from '../support/metrics.js';

const funnel = (scrape: Scrape, step: string) =>
  valueOf(scrape, 'vertex_ar_funnel_events_total', { step });

/**
 * The product's promise, end to end on the backend under test: an operator uploads the fixture
 * portrait and video; the real jobs make the marker and the phone video; a phone (Chromium with
 * a fake camera filming the printed portrait) opens the public link, taps Start, finds the print
 * and plays the video on it.
 */
describe('a living portrait, from upload to the phone', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let baseUrl: string;
  let workDir: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vertex-living-'));
    t = await createTestApp({ JOB_POLL_MS: '100' });
    t.ctx.jobs.start();
    baseUrl = await t.listen();
    operator = await t.loginAs('operator');
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('plays the video on the print after the QR link is opened', { timeout: 300_000 }, async () => {
    const accepted = await postOrder(t, operator);
    expect(accepted.statusCode, accepted.body).toBe(202);
    const { portrait } = accepted.json<{ portrait: { id: string; slug: string } }>();

    // Right after the upload the public page says it is being prepared.
    const early = await fetch(`${baseUrl}/p/${portrait.slug}`);
    expect(await early.text()).toContain('data-state="processing"');

    let detail: PortraitDetail;
    const deadline = Date.now() + 240_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const response = await t.app.inject({
        url: `/api/portraits/${portrait.id}`,
        headers: bearer(operator),
      });
      detail = response.json<PortraitDetail>();
    } while (detail.status === 'processing' && Date.now() < deadline);
    expect(detail.status, JSON.stringify(detail)).toBe('ready');

    const print = await fixturePortrait();
    const camera = await buildCameraFile({
      dir: workDir,
      name: 'print',
      print,
      corners: straightQuad({ width: 640, height: 480 }, detail.width / detail.height),
      noise: 4,
    });
    browser = await launchBrowser(camera.path);
    const session = await ViewerSession.open(browser, `${baseUrl}/p/${portrait.slug}`);
    try {
      await session.start();
      const foundAtMs = await session.waitForMarkerFound(45_000);
      await session.waitFor('!window.__vertexViewer.video().paused', 10_000);
      const [first, second] = await session.videoTimes(1000);
      expect(second.currentTime).toBeGreaterThan(first.currentTime);
      const hooks = await session.hooks();
      expect(hooks.markerInfo).toMatchObject({ dpi: detail.marker?.dpi });
      const foreign = session.requests.filter(
        (url) =>
          !url.startsWith(`${baseUrl}/`) && !url.startsWith('blob:') && !url.startsWith('data:'),
      );
      expect(foreign).toEqual([]);
      console.log(`[living-portrait] markerFound ${foundAtMs} ms after opening the page`);
    } catch (error) {
      console.error(await session.diagnostics());
      throw error;
    } finally {
      await session.close();
    }

    const after = await t.app.inject({
      url: `/api/portraits/${portrait.id}`,
      headers: bearer(operator),
    });
    expect(after.json<PortraitDetail>().viewCount).toBeGreaterThanOrEqual(2);

    // The phone's beacons arrive on their own schedule: wait for the funnel's last step.
    let scrape = await scrapeApp(t.app);
    for (let i = 0; i < 50 && funnel(scrape, 'video_playing') === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      scrape = await scrapeApp(t.app);
    }
    for (const step of FUNNEL_STEPS) expect(funnel(scrape, step), step).toBeGreaterThanOrEqual(1);
    expect(valueOf(scrape, 'vertex_ar_start_to_found_seconds_count')).toBeGreaterThanOrEqual(1);
    const startToFound = valueOf(scrape, 'vertex_ar_start_to_found_seconds_sum');
    expect(startToFound).toBeGreaterThan(0);
    expect(startToFound).toBeLessThan(60);
    const done = { kind: 'marker.generate', outcome: 'done' };
    expect(valueOf(scrape, 'vertex_job_duration_seconds_count', done)).toBe(1);
    expect(valueOf(scrape, 'vertex_job_duration_seconds_sum', done)).toBeGreaterThan(1);
    expect(valueOf(scrape, 'vertex_job_duration_seconds_count', { kind: 'video.process' })).toBe(1);
    expect(valueOf(scrape, 'vertex_marker_generation_seconds_count')).toBe(1);
    expect(valueOf(scrape, 'vertex_marker_selftest_total', { result: 'passed' })).toBe(1);
    expect(valueOf(scrape, 'vertex_marker_selftest_total', { result: 'failed' })).toBe(0);
    for (const kind of ['originals', 'videos', 'markers']) {
      expect(valueOf(scrape, 'vertex_storage_bytes', { kind }), kind).toBeGreaterThan(10_000);
    }
    expect(valueOf(scrape, 'vertex_jobs', { kind: 'marker.generate', status: 'queued' })).toBe(0);
    expect(
      valueOf(scrape, 'vertex_jobs_oldest_queued_age_seconds', { kind: 'marker.generate' }),
    ).toBe(0);
    const page = { method: 'GET', route: '/p/:slug', status_class: '2xx' };
    expect(valueOf(scrape, 'http_request_duration_seconds_count', page)).toBeGreaterThanOrEqual(2);
    expect(valueOf(scrape, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(valueOf(scrape, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(scrape, 'vertex_disk_free_bytes', { volume: 'data' })).toBeGreaterThan(0);
  });
});
