import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, with a fake camera playing a Y4M file.
 * One browser per camera file (the file is a launch flag); the browser only reaches loopback.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumArgs(cameraFile?: string): string[] {
  const args = [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-dev-shm-usage',
    '--mute-audio',
  ];
  if (cameraFile !== undefined) args.push(`--use-file-for-fake-video-capture=${cameraFile}`);
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

export function launchBrowser(cameraFile?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: chromiumArgs(cameraFile),
  });
}

/** Mirror of `window.__vertexViewer` (web/viewer/viewer.js), minus its functions. */
export interface ViewerHooks {
  stage: string;
  failure?: string;
  events: { type: string; t: number; detail: unknown }[];
  markerFoundCount: number;
  markerLostCount: number;
  tracking: boolean;
  markerLoaded: boolean;
  /** Page time (ms since navigation) when AR.js reported the marker loaded. */
  markerLoadedAt: number | null;
  markerInfo: {
    width: number;
    height: number;
    dpi: number;
    widthMm: number;
    heightMm: number;
  } | null;
  frames: {
    processed: number;
    found: number;
    notFound: number;
    processedAfterMarkerLoaded: number;
    notFoundAfterMarkerLoaded: number;
  };
  /** The tracker's stream and frame sizes (web/viewer/ar-host.js), once it started. */
  tracker: { stream: Size; frame: Size } | null;
  /** Page time of the tap on Start. */
  startedAt: number | null;
  prefetch: { files: number; bytes: number; failed: number };
  cspViolations: { directive: string; blockedURI: string; sample: string }[];
  errors: string[];
}

export interface VideoState {
  currentTime: number;
  paused: boolean;
  muted: boolean;
  readyState: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface ViewerGeometry {
  visible: boolean;
  planeCorners: Point[];
  /** CSS box, and the WebGL drawing buffer in device pixels. */
  canvas: {
    left: number;
    top: number;
    width: number;
    height: number;
    pixelWidth: number;
    pixelHeight: number;
  };
  /** Where the camera image is drawn (CSS px; object-fit: cover may put it beyond the screen). */
  cameraImage: {
    left: number;
    top: number;
    width: number;
    height: number;
    videoWidth: number;
    videoHeight: number;
  } | null;
  tracker: { stream: Size; frame: Size } | null;
  viewport: {
    width: number;
    height: number;
    documentWidth: number;
    visualWidth: number | null;
    scale: number | null;
    devicePixelRatio: number;
  };
}

/** A phone as Chrome on Android presents it: mobile viewport rules, touch, high DPR. */
export interface PhoneProfile {
  width: number;
  height: number;
  deviceScaleFactor: number;
}

export const PIXEL_7: PhoneProfile = { width: 393, height: 851, deviceScaleFactor: 2.75 };

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Phone emulation (isMobile, hasTouch, DPR); wins over `viewport`. */
  phone?: PhoneProfile;
  /** Accept-Language of the browser context (default en). */
  locale?: string;
  /** JavaScript run in the page before any of its scripts (e.g. to fake a denied camera). */
  initScript?: string;
  /** Chrome DevTools CPU throttling (4 ≈ a mid-range phone), from before the page loads. */
  cpuThrottlingRate?: number;
}

/** One page of the viewer in its own browser context, with everything it logged and loaded. */
export class ViewerSession {
  readonly console: string[] = [];
  readonly requests: string[] = [];
  /** `<status> <url>` of every response >= 400. */
  readonly failedResponses: string[] = [];
  readonly openedAt = Date.now();

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(
    browser: Browser,
    url: string,
    options: OpenOptions = {},
  ): Promise<ViewerSession> {
    const phone = options.phone;
    const context = await browser.newContext({
      viewport:
        phone === undefined
          ? (options.viewport ?? { width: 640, height: 480 })
          : { width: phone.width, height: phone.height },
      locale: options.locale ?? 'en-US',
      ...(phone === undefined
        ? {}
        : {
            isMobile: true,
            hasTouch: true,
            deviceScaleFactor: phone.deviceScaleFactor,
            screen: { width: phone.width, height: phone.height },
          }),
    });
    const page = await context.newPage();
    const session = new ViewerSession(context, page);
    page.on('console', (message) => {
      session.console.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      session.console.push(`pageerror: ${error.message}`);
    });
    context.on('request', (request) => {
      session.requests.push(request.url());
    });
    context.on('response', (response) => {
      if (response.status() >= 400)
        session.failedResponses.push(`${response.status()} ${response.url()}`);
    });
    page.on('worker', (worker) => {
      session.requests.push(worker.url());
    });
    if (options.initScript !== undefined) await page.addInitScript(options.initScript);
    if (options.cpuThrottlingRate !== undefined) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuThrottlingRate });
    }
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    return session;
  }

  hooks(): Promise<ViewerHooks> {
    return this.page.evaluate<ViewerHooks>('JSON.parse(JSON.stringify(window.__vertexViewer))');
  }

  /**
   * Waits until `expression` (evaluated in the page) is truthy. Polls with `page.evaluate`, which
   * the page's CSP does not govern (Playwright's `waitForFunction` with a string needs eval).
   */
  async waitFor(expression: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.page.evaluate<boolean>(`Boolean(${expression})`)) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${expression}`);
      await this.page.waitForTimeout(100);
    }
  }

  /** Waits for the Start button to be enabled (engine loaded), then taps it like a user. */
  async start(timeoutMs = 60_000): Promise<void> {
    const start = this.page.locator('#vx-start:not([disabled])');
    await start.waitFor({ timeout: timeoutMs });
    const touch = await this.page.evaluate<boolean>('navigator.maxTouchPoints > 0');
    if (touch) await start.tap();
    else await start.click();
  }

  /** Milliseconds from navigation start to the first `markerFound`. */
  async waitForMarkerFound(timeoutMs: number): Promise<number> {
    await this.waitFor(
      'window.__vertexViewer && window.__vertexViewer.markerFoundCount > 0',
      timeoutMs,
    );
    const hooks = await this.hooks();
    const found = hooks.events.find((event) => event.type === 'markerFound');
    if (found === undefined) throw new Error('markerFound counted but not logged');
    return found.t;
  }

  /** Turns the phone: the viewport's sides swap (and with them Chrome's screen orientation). */
  async rotate(): Promise<void> {
    const size = this.page.viewportSize();
    if (size === null) throw new Error('no viewport');
    await this.page.setViewportSize({ width: size.height, height: size.width });
  }

  /** Tracker frames per second over `ms` of page time (after the call). */
  async trackerFps(ms = 2000): Promise<number> {
    const read = () =>
      this.page.evaluate<[number, number]>(
        '[window.__vertexViewer.frames.processed, performance.now()]',
      );
    const [framesBefore, before] = await read();
    await this.page.waitForTimeout(ms);
    const [framesAfter, after] = await read();
    return ((framesAfter - framesBefore) * 1000) / (after - before);
  }

  videoState(): Promise<VideoState | null> {
    return this.page.evaluate<VideoState | null>('window.__vertexViewer.video()');
  }

  /** Reads `video.currentTime` twice, `gapMs` apart. */
  async videoTimes(gapMs = 1000): Promise<[VideoState, VideoState]> {
    const first = await this.videoState();
    await this.page.waitForTimeout(gapMs);
    const second = await this.videoState();
    if (first === null || second === null) throw new Error('no video element');
    return [first, second];
  }

  geometry(): Promise<ViewerGeometry | null> {
    return this.page.evaluate<ViewerGeometry | null>('window.__vertexViewer.geometry()');
  }

  /** Everything useful when a browser test fails: the hooks, errors, CSP, failed requests. */
  async diagnostics(): Promise<string> {
    const hooks = await this.hooks().catch((error: unknown) => String(error));
    const errors = this.console.filter((line) => /^(error|pageerror)/.test(line));
    const geometry = await this.geometry().catch((error: unknown) => String(error));
    return [
      `geometry: ${JSON.stringify(geometry)}`,
      `hooks: ${JSON.stringify(hooks).slice(0, 4000)}`,
      `failed responses: ${this.failedResponses.join(', ') || 'none'}`,
      `console errors:\n${errors.join('\n').slice(0, 4000)}`,
    ].join('\n');
  }

  screenshot(file?: string): Promise<Buffer> {
    // CSS pixels: what the page's geometry is measured in, whatever the device pixel ratio.
    return this.page.screenshot({ scale: 'css', ...(file === undefined ? {} : { path: file }) });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
