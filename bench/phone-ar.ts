/**
 * Public AR page on phones (`npm run bench:phone`): the page served with a real marker, Debian
 * Chromium with a fake camera showing a tilted print; per scenario, several fresh page loads,
 * each timed from the tap on Start to the first `markerFound`, then the tracker's frames per
 * second while tracking, and where the video lands. The baseline, measured in the same run: the
 * desktop layout (640×480 window, 4:3 stream), the shape every earlier test used. Scenarios:
 * phone emulation (393×851 @2.75, isMobile, touch) with landscape (1280×720) and portrait
 * (720×1280) streams, unthrottled and with Chrome's CPU throttling 4× (a mid-range phone).
 * Results: bench/results/phone-ar.json.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  launchBrowser,
  PIXEL_7,
  ViewerSession,
  type PhoneProfile,
} from '../test/support/browser.js';
import { measureVideoOnPrint } from '../test/support/viewer-measure.js';
import {
  READY_SLUG,
  startViewerFixture,
  tiltedPrintCamera,
} from '../test/support/viewer-server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Scenario {
  name: string;
  stream: { width: number; height: number };
  phone?: PhoneProfile;
  cpuThrottlingRate?: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'baseline: desktop 640×480, 4:3 stream', stream: { width: 640, height: 480 } },
  { name: 'phone, landscape stream', stream: { width: 1280, height: 720 }, phone: PIXEL_7 },
  {
    name: 'phone, landscape stream, CPU 4×',
    stream: { width: 1280, height: 720 },
    phone: PIXEL_7,
    cpuThrottlingRate: 4,
  },
  { name: 'phone, portrait stream', stream: { width: 720, height: 1280 }, phone: PIXEL_7 },
  {
    name: 'phone, portrait stream, CPU 4×',
    stream: { width: 720, height: 1280 },
    phone: PIXEL_7,
    cpuThrottlingRate: 4,
  },
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const viewer = await startViewerFixture();
  const results = [];
  try {
    for (const scenario of SCENARIOS) {
      const { width, height } = scenario.stream;
      const camera = await tiltedPrintCamera(viewer, `bench-${width}x${height}`, scenario.stream);
      const browser = await launchBrowser(camera.path);
      const runs = [];
      try {
        for (let i = 0; i < RUNS; i++) {
          const session = await ViewerSession.open(
            browser,
            `${viewer.server.baseUrl}/p/${READY_SLUG}`,
            {
              ...(scenario.phone === undefined ? {} : { phone: scenario.phone }),
              ...(scenario.cpuThrottlingRate === undefined
                ? {}
                : { cpuThrottlingRate: scenario.cpuThrottlingRate }),
            },
          );
          try {
            await session.start(90_000);
            await session.waitForMarkerFound(60_000);
            const hooks = await session.hooks();
            const found = hooks.events.find((e) => e.type === 'markerFound')?.t ?? Number.NaN;
            const trackerFps = await session.trackerFps(3000);
            const { coverage, geometry } = await measureVideoOnPrint(
              session,
              camera,
              path.join(viewer.workDir, `bench-${results.length}-${i}.png`),
            );
            runs.push({
              foundAfterStartMs: found - (hooks.startedAt ?? Number.NaN),
              trackerFps: Math.round(trackerFps * 10) / 10,
              trackerFrame: hooks.tracker?.frame,
              layoutWidth: geometry.viewport.width,
              canvasPixels: `${geometry.canvas.pixelWidth}×${geometry.canvas.pixelHeight}`,
              printCovered: Math.round(coverage.printCovered * 1000) / 1000,
              screenCovered: Math.round(coverage.screenCovered * 1000) / 1000,
              maxCornerErrorPx: Math.round(coverage.maxCornerErrorPx * 10) / 10,
            });
          } finally {
            await session.close();
          }
        }
      } finally {
        await browser.close();
      }
      const row = {
        scenario: scenario.name,
        screen:
          scenario.phone === undefined
            ? '640×480 @1'
            : `${scenario.phone.width}×${scenario.phone.height} @${scenario.phone.deviceScaleFactor}`,
        stream: `${width}×${height}`,
        cpuThrottling: scenario.cpuThrottlingRate ?? 1,
        medianFoundAfterStartMs: median(runs.map((r) => r.foundAfterStartMs)),
        medianTrackerFps: median(runs.map((r) => r.trackerFps)),
        runs,
      };
      console.log(
        `${row.scenario}: found ${row.medianFoundAfterStartMs} ms after Start (median of ${RUNS}), ` +
          `${row.medianTrackerFps} tracker frames/s`,
      );
      results.push(row);
    }
  } finally {
    await viewer.close();
  }
  const out = path.join(ROOT, 'bench/results/phone-ar.json');
  const report = {
    date: new Date().toISOString(),
    machine: 'Debian 12, 2 cores, Chromium with SwiftShader (software WebGL), fake camera',
    runsPerScenario: RUNS,
    results,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written ${path.relative(ROOT, out)}`);
}

await main();
