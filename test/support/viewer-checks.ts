import path from 'node:path';
import { expect } from 'vitest';
import type { ViewerHooks, ViewerSession } from './browser.js';
import type { CameraFile } from './camera.js';
import { measureVideoOnPrint, type Coverage } from './viewer-measure.js';
import type { ViewerServer } from './viewer-server.js';

/** Assertions shared by the viewer's browser tests. */

/**
 * While the print is tracked: the video plays (currentTime advances, sound on after the tap), the
 * plane's projected corners land on the print's corners, and the video's magenta fills the print
 * in a screenshot without spilling around it, on less than half of the screen.
 */
export async function expectVideoOnPrint(
  session: ViewerSession,
  camera: CameraFile,
  shotFile: string,
): Promise<Coverage> {
  await session.waitFor('!window.__vertexViewer.video().paused', 10_000);
  const [t1, t2] = await session.videoTimes(1000);
  expect(t2.currentTime).not.toBe(t1.currentTime);
  expect(t2.paused).toBe(false);
  expect(t2.muted).toBe(false);
  const { coverage, geometry } = await measureVideoOnPrint(session, camera, shotFile);
  const detail = JSON.stringify(coverage);
  expect(geometry.visible).toBe(true);
  expect(coverage.printCovered, detail).toBeGreaterThan(0.8);
  expect(coverage.spill, detail).toBeLessThan(0.02);
  expect(coverage.screenCovered, detail).toBeLessThan(0.5);
  expect(coverage.maxCornerErrorPx, detail).toBeLessThan(coverage.printDiagonalPx * 0.05);
  return coverage;
}

/** Nothing but our origin, no CSP violation, no page error. */
export async function expectCleanRun(session: ViewerSession, server: ViewerServer): Promise<void> {
  const hooks = await session.hooks();
  expect(hooks.cspViolations).toEqual([]);
  expect(hooks.errors).toEqual([]);
  expect(
    session.console.filter((line) => /Content Security Policy|Refused to|^pageerror/i.test(line)),
  ).toEqual([]);
  const foreign = session.requests.filter(
    (url) =>
      !url.startsWith(`${server.baseUrl}/`) && !url.startsWith('blob:') && !url.startsWith('data:'),
  );
  expect(foreign).toEqual([]);
}

/** Runs `work`, printing the page's diagnostics when it fails; always closes the session. */
export async function withDiagnostics<T>(
  session: ViewerSession,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    console.error(`[viewer:${label}] failed\n${await session.diagnostics()}`);
    throw error;
  } finally {
    await session.close();
  }
}

export const summary = (hooks: ViewerHooks): string =>
  hooks.events
    .map((e) => `${e.type}${e.type === 'stage' ? `:${String(e.detail)}` : ''}@${e.t}`)
    .join(' ');

export const markerRequests = (server: ViewerServer): number =>
  [...server.hits.entries()]
    .filter(([url]) => url.startsWith('/markers/'))
    .reduce((sum, [, n]) => sum + n, 0);

export const shotPath = (dir: string, label: string): string =>
  path.join(dir, `${label}-screenshot.png`);
