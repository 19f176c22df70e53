/**
 * Marker pipeline benchmark (`npm run bench:markers`): a 2000-px portrait is uploaded to the
 * real built server (SQLite + local disk, jobs in process) and timed from the start of the
 * upload to `ready`; then the same image goes through the reference creator CLI of
 * @webarkit/nft-marker-creator-app, in the same run, for the ratio. Results:
 * bench/results/markers.json.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { makePortraitFixture } from '../test/fixtures/portrait.js';
import { startServe } from '../test/support/cli.js';
import { multipartBody } from '../test/support/multipart.js';
import { fixtureParts } from '../test/support/studio.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLOCK_TICKS = 100; // Linux USER_HZ

/** CPU seconds of a process, including its finished (waited-for) children: utime+stime+cutime+cstime. */
function cpuSeconds(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at index 3 (state); utime is field 14 → index 11.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / CLOCK_TICKS;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function benchProduct(imagePath: string) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-bench-'));
  const server = await startServe({
    DATA_DIR: dataDir,
    ADMIN_USERNAME: 'bench',
    ADMIN_PASSWORD: 'timing-probe-pw-1',
    JOB_POLL_MS: '100',
    LOG_LEVEL: 'warn',
  });
  try {
    const pid = server.child.pid ?? 0;
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'timing-probe-pw-1' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const parts = await fixtureParts();
    const body = multipartBody(
      { clientName: 'Bench', clientPhone: '+1 202 555 0102' },
      {
        ...parts,
        portrait: {
          content: readFileSync(imagePath),
          filename: 'portrait.jpg',
          contentType: 'image/jpeg',
        },
      },
    );
    const cpuBefore = cpuSeconds(pid);
    const started = performance.now();
    const accepted = await fetch(`${server.baseUrl}/api/orders`, {
      method: 'POST',
      headers: { ...body.headers, authorization: `Bearer ${accessToken}` },
      body: body.payload,
    });
    if (accepted.status !== 202)
      throw new Error(`upload failed: ${accepted.status} ${await accepted.text()}`);
    const { portrait } = (await accepted.json()) as { portrait: { id: string } };
    const acceptedMs = performance.now() - started;
    let detail: { status: string; marker: Record<string, unknown> | null };
    for (;;) {
      const response = await fetch(`${server.baseUrl}/api/portraits/${portrait.id}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      detail = (await response.json()) as typeof detail;
      if (detail.status !== 'processing') break;
      await sleep(100);
    }
    const wallMs = performance.now() - started;
    const cpu = cpuSeconds(pid) - cpuBefore;
    if (detail.status !== 'ready')
      throw new Error(`portrait ended ${detail.status}: ${JSON.stringify(detail)}`);
    const markerDir = path.join(dataDir, 'storage', 'markers', portrait.id, '1');
    const sizes = Object.fromEntries(
      readdirSync(markerDir).map((f) => [f, statSync(path.join(markerDir, f)).size]),
    );
    return {
      wallSeconds: wallMs / 1000,
      acceptedSeconds: acceptedMs / 1000,
      cpuSeconds: cpu,
      fileSizes: sizes,
      marker: detail.marker,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The reference: the package's own CLI (re-launches itself, writes output/…), on the same image. */
async function benchReference(imagePath: string) {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-ref-'));
  const cli = path.join(
    ROOT,
    'node_modules/@webarkit/nft-marker-creator-app/src/NFTMarkerCreator.js',
  );
  const cpuBefore = cpuSeconds('self');
  const started = performance.now();
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '-i', imagePath, '-o', outDir], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  const wallMs = performance.now() - started;
  const cpu = cpuSeconds('self') - cpuBefore;
  const sizes = Object.fromEntries(
    readdirSync(outDir).map((f) => [f, statSync(path.join(outDir, f)).size]),
  );
  rmSync(outDir, { recursive: true, force: true });
  return { exitCode: code, wallSeconds: wallMs / 1000, cpuSeconds: cpu, fileSizes: sizes };
}

async function main() {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-bench-img-'));
  const imagePath = path.join(workDir, 'portrait-2000.jpg');
  writeFileSync(imagePath, await makePortraitFixture({ width: 1500, height: 2000 }));
  const { width, height } = await sharp(imagePath).metadata();
  console.error(`image ${width}×${height}: timing the product…`);
  const product = await benchProduct(imagePath);
  console.error(
    `product: ready in ${product.wallSeconds.toFixed(1)} s wall, ${product.cpuSeconds.toFixed(1)} CPU s`,
  );
  const skipReference = process.argv.includes('--no-reference');
  if (!skipReference) console.error('reference CLI (takes minutes)…');
  const reference = skipReference ? null : await benchReference(imagePath);
  rmSync(workDir, { recursive: true, force: true });
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
    },
    image: { width, height },
    product,
    reference,
    ratio:
      reference === null
        ? null
        : {
            wall: reference.wallSeconds / product.wallSeconds,
            cpu: reference.cpuSeconds / product.cpuSeconds,
          },
    goals: {
      readyWithin20s: product.wallSeconds <= 20,
      atLeast10xFaster:
        reference === null ? null : reference.wallSeconds / product.wallSeconds >= 10,
      selfTestPassed: (product.marker?.selfTest as { found?: boolean } | undefined)?.found === true,
    },
  };
  const out = path.join(ROOT, 'bench/results/markers.json');
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.error(`written ${path.relative(ROOT, out)}`);
  console.log(JSON.stringify(result.goals));
}

await main();
