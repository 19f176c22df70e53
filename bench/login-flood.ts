/**
 * Login-flood probe (`npm run bench:login-flood`), the measurement of issue 9's review: 32
 * concurrent wrong-password logins while a media file (the studio logo, read from local disk)
 * and an authenticated `GET /api/clients` are timed, one request after another. Run twice in
 * the same run on the real server (SQLite + local disk, BCRYPT_COST 12, libuv's default 4
 * threads): hashing unbounded (PASSWORD_HASH_CONCURRENCY=64) and bounded (the defaults, 2
 * running + 16 waiting). The lockout and rate limits are lifted for the probe so that every
 * login reaches bcrypt: this measures the hashing bound alone. Results:
 * bench/results/login-flood.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { multipartBody } from '../test/support/multipart.js';
import { startServer } from './support/serve.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FLOOD = 32;
const ADMIN = { username: 'bench', password: 'timing-probe-pw-1' };

async function timed(url: string, headers: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return performance.now() - started;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
};
const round = (ms: number) => Math.round(ms * 10) / 10;
const summary = (values: number[]) => ({
  samples: values.length,
  medianMs: round(quantile(values, 0.5)),
  p95Ms: round(quantile(values, 0.95)),
  maxMs: round(Math.max(...values)),
});

async function probe(label: string, hashing: { concurrency: number; queue: number }) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-flood-'));
  const server = await startServer({
    DATA_DIR: dataDir,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    JOBS_IN_PROCESS: 'false',
    RATE_LIMIT_ENABLED: 'false',
    AUTH_MAX_ATTEMPTS: '1000',
    AUTH_ACCOUNT_MAX_FAILURES_PER_HOUR: '100000',
    PASSWORD_HASH_CONCURRENCY: String(hashing.concurrency),
    PASSWORD_HASH_QUEUE: String(hashing.queue),
  });
  try {
    const base = server.baseUrl;
    const login = (password: string) =>
      fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: ADMIN.username, password }),
      });
    const { accessToken } = (await (await login(ADMIN.password)).json()) as {
      accessToken: string;
    };
    const auth = { authorization: `Bearer ${accessToken}` };
    const logo = await sharp({
      create: { width: 400, height: 400, channels: 3, background: '#3a6' },
    })
      .png()
      .toBuffer();
    const upload = multipartBody(
      {},
      { logo: { content: logo, filename: 'logo.png', contentType: 'image/png' } },
    );
    const put = await fetch(`${base}/api/studio/logo`, {
      method: 'PUT',
      headers: { ...auth, ...upload.headers },
      body: upload.payload,
    });
    if (!put.ok) throw new Error(`logo upload: ${put.status} ${await put.text()}`);
    const media = `${base}/media/studio/logo.png`;
    const clients = `${base}/api/clients`;

    const quiet = { media: [] as number[], clients: [] as number[] };
    for (let i = 0; i < 20; i++) {
      quiet.media.push(await timed(media));
      quiet.clients.push(await timed(clients, auth));
    }

    const flooded = { media: [] as number[], clients: [] as number[] };
    const state = { flooding: true };
    const floodStarted = performance.now();
    const flood = Promise.all(
      Array.from({ length: FLOOD }, (_, i) =>
        login(`wrong-password-${i}`).then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        }),
      ),
    ).then((statuses) => {
      state.flooding = false;
      return { statuses, ms: performance.now() - floodStarted };
    });
    while (state.flooding) {
      flooded.media.push(await timed(media));
      flooded.clients.push(await timed(clients, auth));
    }
    const { statuses, ms } = await flood;
    const counts: Record<string, number> = {};
    for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
    console.log(`${label}: flood ${round(ms)} ms ${JSON.stringify(counts)}`);
    return {
      passwordHashConcurrency: hashing.concurrency,
      passwordHashQueue: hashing.queue,
      quiet: { media: summary(quiet.media), clients: summary(quiet.clients) },
      duringFlood: { media: summary(flooded.media), clients: summary(flooded.clients) },
      flood: { logins: FLOOD, statuses: counts, wallMs: round(ms) },
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const unbounded = await probe('unbounded', { concurrency: 64, queue: 10_000 });
const bounded = await probe('bounded', { concurrency: 2, queue: 16 });
const result = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version },
  bcryptCost: 12,
  uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
  unbounded,
  bounded,
};
const file = path.join(ROOT, 'bench/results/login-flood.json');
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify({ unbounded: unbounded.duringFlood, bounded: bounded.duringFlood }));
console.log(`written ${path.relative(ROOT, file)}`);
