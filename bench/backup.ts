/**
 * Backup memory and speed (`npm run bench:backup`), issue 10's acceptance: a throwaway
 * installation (SQLite in a temp DATA_DIR, migrated, local storage, built with the product's own
 * modules) holding ≥ 1 GiB of objects, then, side by side in one process:
 *   - baseline: a plain streaming copy of every object from storage into files;
 *   - `backup create` (age-encrypted), `backup verify`, and a second, incremental `create`.
 * RSS is sampled every 50 ms; each phase reports RSS at its start (after a full GC when run
 * with --expose-gc, as the npm script does), its peak and the growth. Two attributions: unlocking
 * the backup key alone (age passphrase = scrypt, work factor 2^18: 256 MiB by design), and the
 * RSS growth of `create` while it streams objects (from its first `objects` progress event).
 * Exits 1 when create or verify grows RSS by 128 MiB or more. Results:
 * bench/results/backup.json.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { migrateToLatest } from '../src/infra/db/migrate.js';
import { storageKey, type Storage, type StoredObjectInfo } from '../src/infra/storage/index.js';
import {
  configuredSecretNames,
  createBackupService,
  OBJECT_PREFIXES,
} from '../src/modules/backup/backup.service.js';
import { createDestination } from '../src/modules/backup/destination.js';
import { ageSealer } from '../src/modules/backup/sealer.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MiB = 1024 * 1024;
const LARGE = { count: 64, size: 16 * MiB };
const SMALL = { count: 300, minSize: 64 * 1024, maxSize: 512 * 1024 };
const SAMPLE_MS = 50;
const RSS_LIMIT_MiB = 128;
const PASSPHRASE = 'bench passphrase, not a secret';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'vertex-bench-backup-'));
const removeTmp = () => {
  rmSync(tmp, { recursive: true, force: true });
};
process.once('SIGINT', () => {
  removeTmp();
  process.exit(130);
});

/** `size` incompressible bytes, 1 MiB at a time: an AES-CTR keystream under a fresh key. */
function pseudoRandom(size: number): Readable {
  const cipher = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16));
  const zeros = Buffer.alloc(MiB);
  let left = size;
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(left, MiB);
      left -= n;
      this.push(cipher.update(n === MiB ? zeros : zeros.subarray(0, n)));
    },
  });
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const toMiB = (bytes: number) => round(bytes / MiB);

interface PhaseResult {
  seconds: number;
  bytes: number;
  mibPerSecond: number;
  rssStartMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  heapUsedPeakMiB: number;
  arrayBuffersPeakMiB: number;
}

interface Window {
  rssStartMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The scrypt buffers (256 MiB) are freed by V8's background sweeper, shortly after a GC. */
const SETTLE_MS = 300;

/** A full GC, then time for the freed array buffers to go back to the OS. */
async function settle(): Promise<void> {
  globalThis.gc?.();
  await sleep(SETTLE_MS);
  globalThis.gc?.();
}

/**
 * Runs `work` while sampling memory every 50 ms; `bytes` is what the phase moved. `mark()`
 * (e.g. at the first object `create` streams) forces a GC and opens a second window: the RSS
 * peak from SETTLE_MS after the mark on, against the RSS at the start of the phase.
 */
async function phase<T>(
  label: string,
  bytes: number,
  work: (mark: () => void) => Promise<T>,
): Promise<{ value: T; result: PhaseResult; window: Window | null }> {
  await settle();
  const start = process.memoryUsage();
  const peak = { rss: start.rss, heapUsed: start.heapUsed, arrayBuffers: start.arrayBuffers };
  let window: { from: number; peak: number } | null = null;
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    if (window !== null && performance.now() >= window.from) {
      window.peak = Math.max(window.peak, m.rss);
    }
  };
  const mark = () => {
    if (window !== null) return;
    globalThis.gc?.();
    window = { from: performance.now() + SETTLE_MS, peak: start.rss };
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const started = performance.now();
  try {
    const value = await work(mark);
    const seconds = (performance.now() - started) / 1000;
    sample();
    const result: PhaseResult = {
      seconds: round(seconds, 2),
      bytes,
      mibPerSecond: round(bytes / MiB / seconds),
      rssStartMiB: toMiB(start.rss),
      rssPeakMiB: toMiB(peak.rss),
      rssGrowthMiB: toMiB(peak.rss - start.rss),
      heapUsedPeakMiB: toMiB(peak.heapUsed),
      arrayBuffersPeakMiB: toMiB(peak.arrayBuffers),
    };
    console.log(`${label}: done in ${result.seconds} s`);
    const w = window as { from: number; peak: number } | null;
    const marked =
      w === null
        ? null
        : {
            rssStartMiB: toMiB(start.rss),
            rssPeakMiB: toMiB(w.peak),
            rssGrowthMiB: toMiB(w.peak - start.rss),
          };
    return { value, result, window: marked };
  } finally {
    clearInterval(timer);
  }
}

async function fill(storage: Storage): Promise<void> {
  for (let i = 0; i < LARGE.count; i++) {
    const id = randomBytes(8).toString('hex');
    await storage.put(storageKey('videos', id, 'video.mp4'), pseudoRandom(LARGE.size));
  }
  for (let i = 0; i < SMALL.count; i++) {
    const id = randomBytes(8).toString('hex');
    const size = SMALL.minSize + Math.floor(Math.random() * (SMALL.maxSize - SMALL.minSize));
    await storage.put(storageKey('portraits', id, 'original.jpg'), pseudoRandom(size));
  }
}

async function listObjects(storage: Storage): Promise<StoredObjectInfo[]> {
  const found: StoredObjectInfo[] = [];
  for (const prefix of OBJECT_PREFIXES) {
    for await (const info of storage.list(prefix)) found.push(info);
  }
  return found;
}

/** The baseline: what any streaming copy of the same objects costs, one object at a time. */
async function plainCopy(storage: Storage, objects: StoredObjectInfo[], into: string) {
  mkdirSync(into);
  let n = 0;
  for (const info of objects) {
    await pipeline((await storage.get(info.key)).body, createWriteStream(path.join(into, `${n}`)));
    n += 1;
  }
}

async function run() {
  const dataDir = path.join(tmp, 'data');
  mkdirSync(dataDir);
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    BACKUP_DIR: path.join(tmp, 'backups'),
    BACKUP_PASSPHRASE: PASSPHRASE,
  });
  const ctx = createContext(config);
  try {
    await migrateToLatest(ctx.database, config.database);
    const service = createBackupService({
      database: ctx.database,
      databaseConfig: config.database,
      storage: ctx.storage,
      settings: config.backup,
      secretNames: configuredSecretNames(config),
      clock: ctx.clock,
    });

    const total = LARGE.count * LARGE.size + SMALL.count * SMALL.maxSize;
    const filled = await phase('fill', total, () => fill(ctx.storage));
    const objects = await listObjects(ctx.storage);
    const bytes = objects.reduce((sum, o) => sum + o.size, 0);
    filled.result.bytes = bytes;
    filled.result.mibPerSecond = round(bytes / MiB / filled.result.seconds);
    console.log(`${objects.length} objects, ${toMiB(bytes)} MiB`);

    const copyDir = path.join(tmp, 'copy');
    const baseline = await phase('baseline copy', bytes, () =>
      plainCopy(ctx.storage, objects, copyDir),
    );
    rmSync(copyDir, { recursive: true, force: true });

    // What opening the key costs alone (create and verify each do it once); the first call
    // also writes identity.age.
    const unlocked = await phase('unlock key (scrypt)', 0, () =>
      ageSealer(createDestination(config.backup), PASSPHRASE),
    );
    const created = await phase('backup create', bytes, (mark) =>
      service.create({
        onProgress: (p) => {
          if (p.phase === 'objects') mark();
        },
      }),
    );
    const verified = await phase('backup verify', bytes, () => service.verify(created.value.id));
    if (verified.value.length > 0) throw new Error(`verify failed: ${verified.value.join('; ')}`);
    const incremental = await phase('backup create (incremental)', 0, () => service.create());
    if (incremental.value.copied !== 0) {
      throw new Error(`incremental backup copied ${incremental.value.copied} objects`);
    }

    return {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model ?? '',
        node: process.version,
        memoryMiB: toMiB(os.totalmem()),
      },
      installation: { database: 'sqlite', storage: 'local', encryption: 'age' },
      objects: {
        count: objects.length,
        bytes,
        large: { count: LARGE.count, sizeMiB: LARGE.size / MiB },
        small: { count: SMALL.count, minKiB: SMALL.minSize / 1024, maxKiB: SMALL.maxSize / 1024 },
      },
      sampleMs: SAMPLE_MS,
      rssGrowthLimitMiB: RSS_LIMIT_MiB,
      fill: filled.result,
      baseline: baseline.result,
      create: {
        ...created.result,
        copied: created.value.copied,
        reused: created.value.reused,
        whileStreamingObjects: created.window,
      },
      unlockKey: unlocked.result,
      verify: { ...verified.result, problems: verified.value.length },
      incremental: {
        ...incremental.result,
        copied: incremental.value.copied,
        reused: incremental.value.reused,
      },
    };
  } finally {
    await ctx.close();
  }
}

try {
  const result = await run();
  const file = path.join(ROOT, 'bench/results/backup.json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  type Row = Partial<Pick<PhaseResult, 'seconds' | 'mibPerSecond'>> & Window;
  const rows: Record<string, Row | null> = {
    baseline: result.baseline,
    'unlock key': result.unlockKey,
    create: result.create,
    'create (objects only)': result.create.whileStreamingObjects,
    verify: result.verify,
    incremental: result.incremental,
  };
  console.table(
    Object.fromEntries(
      Object.entries(rows).map(([name, r]) => [
        name,
        {
          s: r?.seconds ?? '',
          'MiB/s': r?.mibPerSecond ?? '',
          'rss start MiB': r?.rssStartMiB,
          'rss peak MiB': r?.rssPeakMiB,
          'rss growth MiB': r?.rssGrowthMiB,
        },
      ]),
    ),
  );
  console.log(`written ${path.relative(ROOT, file)}`);
  const worst = Math.max(result.create.rssGrowthMiB, result.verify.rssGrowthMiB);
  if (worst >= RSS_LIMIT_MiB) {
    console.error(`backup RSS growth ${worst} MiB ≥ ${RSS_LIMIT_MiB} MiB`);
    process.exitCode = 1;
  }
} finally {
  removeTmp();
}
