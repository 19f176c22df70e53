import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { stopProcessGroup, trackProcessGroup } from './process-group.js';

/**
 * WebKit for browser tests: Debian's WebKitGTK MiniBrowser driven by WebKitWebDriver over the W3C
 * WebDriver protocol (plain `fetch`). The GTK port has no headless mode, so each session gets its
 * own Xvfb display (unix socket only). `--enable-mock-capture-devices` gives WebKit's mock camera
 * (a moving test pattern, granted without a prompt); http://127.0.0.1 is a secure context.
 */

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const DRIVER = '/usr/bin/WebKitWebDriver';
const XVFB = '/usr/bin/Xvfb';
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

export function webkitAvailable(): boolean {
  return [MINIBROWSER, DRIVER, XVFB].every((file) => existsSync(file));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Xvfb picks a free display and writes its number to fd 3. */
function startXvfb(): Promise<{ child: ChildProcess; display: string }> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      reject(new Error('Xvfb gave no display within 10 s'));
    }, 10_000).unref();
    const child = spawn(
      XVFB,
      ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], detached: true },
    );
    let out = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ child, display: `:${out.trim()}` });
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      reject(new Error(`Xvfb exited with ${code}`));
    });
  });
}

interface WireError {
  value?: { error?: string; message?: string };
}

export class WebKitSession {
  private constructor(
    private readonly base: string,
    private readonly id: string,
    private readonly processes: ChildProcess[],
  ) {}

  static async start(): Promise<WebKitSession> {
    const processes: ChildProcess[] = [];
    let driverLog = '';
    try {
      const xvfb = await startXvfb();
      processes.push(trackProcessGroup(xvfb.child));
      const port = await freePort();
      const driver = spawn(DRIVER, [`--port=${port}`, '--host=127.0.0.1'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
        env: { ...process.env, DISPLAY: xvfb.display },
      });
      processes.push(trackProcessGroup(driver));
      driver.stderr.on('data', (chunk: Buffer) => {
        driverLog = (driverLog + chunk.toString()).slice(-2000);
      });
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        const ready = await fetch(`${base}/status`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) break;
        if (i > 200 || driver.exitCode !== null) throw new Error('WebKitWebDriver did not start');
        await sleep(50);
      }
      const created = await call<{ sessionId: string }>(base, 'POST', '/session', {
        capabilities: {
          alwaysMatch: {
            'webkitgtk:browserOptions': {
              binary: MINIBROWSER,
              // With `args`, the driver no longer adds --automation itself.
              args: ['--automation', '--enable-mock-capture-devices=true'],
            },
          },
        },
      });
      return new WebKitSession(base, created.sessionId, processes);
    } catch (error) {
      for (const child of processes.reverse()) await stopProcessGroup(child);
      throw new Error(`WebKit did not start: ${String(error)}\n${driverLog}`, { cause: error });
    }
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(this.base, method, `/session/${this.id}${path}`, body);
  }

  async open(url: string): Promise<void> {
    await this.call('POST', '/timeouts', { pageLoad: 60_000, script: 30_000 });
    await this.call('POST', '/url', { url });
  }

  /** Evaluates `expression` in the page; the value travels as JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const json = await this.call<string>('POST', '/execute/sync', {
      script: `return JSON.stringify((${expression}) ?? null);`,
      args: [],
    });
    return JSON.parse(json) as T;
  }

  async waitFor(expression: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.evaluate<boolean>(`Boolean(${expression})`)) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${expression}`);
      await sleep(100);
    }
  }

  /** A real (trusted) click, as WebDriver does it: counts as a user gesture. */
  async click(selector: string): Promise<void> {
    const found = await this.call<Record<string, string>>('POST', '/element', {
      using: 'css selector',
      value: selector,
    });
    const element = found[ELEMENT_KEY];
    if (element === undefined) throw new Error(`no element ${selector}: ${JSON.stringify(found)}`);
    await this.call('POST', `/element/${element}/click`, {});
  }

  /** PNG of the viewport; also written to `file` when given. */
  async screenshot(file?: string): Promise<Buffer> {
    const png = Buffer.from(await this.call<string>('GET', '/screenshot'), 'base64');
    if (file !== undefined) writeFileSync(file, png);
    return png;
  }

  async close(): Promise<void> {
    await Promise.race([this.call('DELETE', '').catch(() => undefined), sleep(5000)]);
    for (const child of [...this.processes].reverse()) await stopProcessGroup(child);
  }
}

async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    // A wrong setup makes WebKitWebDriver hang (e.g. POST /session without a display).
    signal: AbortSignal.timeout(90_000),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json().catch(() => ({}))) as { value?: unknown } & WireError;
  if (!response.ok) {
    throw new Error(
      `${method} ${path}: HTTP ${response.status} ${parsed.value?.error ?? ''} ${parsed.value?.message ?? ''}`,
    );
  }
  return parsed.value as T;
}
