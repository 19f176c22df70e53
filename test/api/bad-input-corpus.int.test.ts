import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageKey } from '../../src/infra/storage/index.js';
import { createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { runJobHandler } from '../support/jobs.js';
import { domainRowCounts, placeOrder } from '../support/studio.js';
import {
  CORPUS,
  type CorpusCase,
  type CorpusRequest,
  type CorpusTargets,
} from '../corpus/cases.js';
import { corpusFiles } from '../corpus/files.js';

/**
 * The bad-input corpus (test/corpus/): every case gets the answer written in its table, and a
 * refused case leaves nothing behind — no domain row, no stored file, no temp upload, no file
 * named after the client's file name anywhere under DATA_DIR. Accepted (valid but dangerous)
 * cases prove the danger did not reach a public copy.
 */

const execFileAsync = promisify(execFile);
const MB = 1024 * 1024;
/** Characters no stored name may keep: C0 controls, DEL, bidi embeddings/overrides/isolates. */
const hasUnsafeText = (text: string): boolean => {
  // Every range is in the BMP, so UTF-16 code units are enough.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  }
  return false;
};

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Every file below `dir` (relative paths). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('bad-input corpus', () => {
  let t: TestApp;
  const sessions = {} as Record<'operator' | 'admin', LoggedIn>;
  let targets: CorpusTargets;

  beforeAll(async () => {
    t = await createTestApp({
      RATE_LIMIT_ENABLED: 'false',
      // A trickling body is cut off after one slow second (default: 10 s windows).
      BODY_RATE_WINDOW_SECONDS: '1',
    });
    sessions.operator = await t.loginAs('operator');
    sessions.admin = await t.loginAs('admin');
    const order = await placeOrder(t, sessions.operator, {
      clientName: 'Corpus Target',
      clientPhone: '+7 999 444-00-00',
    });
    targets = { portraitId: order.portraitId, clientId: order.clientId, slug: order.slug };
  });
  afterAll(() => t.close());

  const uploadsDir = () => path.join(t.config.dataDir, 'tmp', 'uploads');

  async function storageKeys(): Promise<string[]> {
    const keys: string[] = [];
    for (const prefix of ['portraits/', 'videos/', 'markers/', 'studio/']) {
      for await (const item of t.ctx.storage.list(prefix)) keys.push(item.key);
    }
    return keys.sort();
  }

  /** What a refused request must not change. */
  async function snapshot() {
    return {
      rows: await domainRowCounts(t),
      keys: await storageKeys(),
      uploads: await filesUnder(uploadsDir()),
    };
  }

  /** No file anywhere under DATA_DIR is named after what a client sent. */
  async function expectNoClientNamedFiles(): Promise<void> {
    const suspicious = (await filesUnder(t.config.dataDir)).filter(
      (file) => /passwd|evil|\.exe/i.test(file) || hasUnsafeText(file) || file.includes('..'),
    );
    expect(suspicious).toEqual([]);
  }

  function send(testCase: CorpusCase, request: CorpusRequest) {
    const auth =
      testCase.as === 'anonymous'
        ? {}
        : { authorization: `Bearer ${sessions[testCase.as].accessToken}` };
    return t.app.inject({
      method: request.method,
      url: request.url,
      headers: { ...request.headers, ...auth },
      payload: request.payload,
    });
  }

  it('has at least 50 cases with unique names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  describe('refused, leaving nothing behind', () => {
    for (const testCase of CORPUS) {
      if (testCase.outcome !== 'refused') continue;
      const codes = typeof testCase.code === 'string' ? [testCase.code] : testCase.code;
      it(
        `${testCase.name} → ${testCase.status} ${codes.join('|')}`,
        { timeout: 60_000 },
        async () => {
          const before = await snapshot();
          const response = await send(testCase, await testCase.request(targets));
          expect(response.statusCode, response.body.slice(0, 300)).toBe(testCase.status);
          const body = response.json<{
            error: { code: string; message: string; details?: unknown };
          }>();
          expect(codes).toContain(body.error.code);
          // Error answers never show server paths (issue 9, item 6).
          expect(JSON.stringify(body)).not.toMatch(/\/tmp\/|\.upload\b|file:\//);
          expect(await snapshot()).toEqual(before);
          await expectNoClientNamedFiles();
        },
      );
    }
  });

  describe('bodies that are too big or too slow', () => {
    let baseUrl: URL;
    beforeAll(async () => {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address() as AddressInfo;
      baseUrl = new URL(`http://127.0.0.1:${address.port}`);
    });

    /**
     * Sends a request declaring `declared` bytes and writes `chunk` (repeated) until the server
     * answers or closes; resolves with the answer (if any) and how much was written.
     */
    function stream(options: {
      path: string;
      headers: Record<string, string>;
      declared: number;
      preamble: Buffer;
      chunk: Buffer;
      intervalMs?: number;
    }): Promise<{ status?: number; body: string; written: number; ms: number }> {
      const started = Date.now();
      return new Promise((resolve) => {
        let written = 0;
        let finished = false;
        const request = http.request(baseUrl.toString().replace(/\/$/, '') + options.path, {
          method: 'POST',
          headers: { ...options.headers, 'content-length': String(options.declared) },
        });
        const finish = (status?: number, body = '') => {
          if (finished) return;
          finished = true;
          request.destroy();
          resolve({ status, body, written, ms: Date.now() - started });
        };
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (data: Buffer) => {
            chunks.push(data);
          });
          response.on('end', () => {
            finish(response.statusCode, Buffer.concat(chunks).toString());
          });
          response.on('error', () => {
            finish(response.statusCode, Buffer.concat(chunks).toString());
          });
        });
        request.on('error', () => {
          finish();
        });
        request.on('close', () => {
          setTimeout(finish, 200);
        });
        const write = (data: Buffer) => {
          written += data.length;
          return request.write(data);
        };
        write(options.preamble);
        const pump = () => {
          while (!finished && written + options.chunk.length <= options.declared) {
            if (options.intervalMs !== undefined) {
              write(options.chunk);
              setTimeout(pump, options.intervalMs);
              return;
            }
            if (!write(options.chunk)) {
              request.once('drain', pump);
              return;
            }
          }
        };
        pump();
      });
    }

    const multipartPreamble = async (boundary: string) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="clientName"\r\n\r\nBig\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="clientPhone"\r\n\r\n+79995550099\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="portrait"; filename="p.jpg"\r\n` +
            'Content-Type: image/jpeg\r\n\r\n',
        ),
        await corpusFiles.photo(),
      ]);

    it('a 300 MB upload is refused with 413 long before it is all sent or stored', async () => {
      const before = await snapshot();
      const result = await stream({
        path: '/api/orders',
        headers: {
          authorization: `Bearer ${sessions.operator.accessToken}`,
          'content-type': 'multipart/form-data; boundary=big',
        },
        declared: 300 * MB,
        preamble: await multipartPreamble('big'),
        chunk: Buffer.alloc(MB),
      });
      expect(result.status, result.body).toBe(413);
      expect(['too_large', 'payload_too_large']).toContain(
        (JSON.parse(result.body) as { error: { code: string } }).error.code,
      );
      // The portrait limit is 25 MB: the server stops reading about there.
      expect(result.written).toBeLessThan(100 * MB);
      await expect.poll(() => filesUnder(uploadsDir()), { timeout: 5000 }).toEqual([]);
      expect(await snapshot()).toEqual(before);
    });

    it('a JSON body declaring 300 MB is refused with 413 before it is read', async () => {
      const result = await stream({
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        declared: 300 * MB,
        preamble: Buffer.from('{"username":"'),
        chunk: Buffer.alloc(64 * 1024, 0x61),
      });
      expect(result.status, result.body).toBe(413);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'payload_too_large' } });
      expect(result.written).toBeLessThan(10 * MB);
    });

    it('a body trickling 10 bytes every 500 ms is cut off with 408 and its temp file removed', async () => {
      const before = await snapshot();
      const result = await stream({
        path: '/api/orders',
        headers: {
          authorization: `Bearer ${sessions.operator.accessToken}`,
          'content-type': 'multipart/form-data; boundary=slow',
        },
        declared: 10 * MB,
        preamble: await multipartPreamble('slow'),
        chunk: Buffer.alloc(10),
        intervalMs: 500,
      });
      expect(result.status, `after ${result.ms} ms: ${result.body}`).toBe(408);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'request_timeout' } });
      expect(result.ms).toBeLessThan(15_000);
      await expect.poll(() => filesUnder(uploadsDir()), { timeout: 5000 }).toEqual([]);
      expect(await snapshot()).toEqual(before);
    }, 30_000);
  });

  describe('accepted, with the danger removed from every public copy', () => {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-corpus-check-'));
    afterAll(() => {
      rmSync(workDir, { recursive: true, force: true });
    });

    const bytesOf = async (key: string) =>
      readAll((await t.ctx.storage.get(storageKey(...key.split('/')))).body);

    /** The public copies of a portrait: everything stored for it except the original. */
    async function expectPhotoClean(portraitId: string): Promise<void> {
      await runJobHandler(t, 'portrait.images', { portraitId });
      const keys = (await storageKeys()).filter(
        (key) => key.startsWith(`portraits/${portraitId}/`) && !key.includes('/original.'),
      );
      expect(keys.length).toBeGreaterThanOrEqual(3);
      for (const key of keys) {
        const bytes = await bytesOf(key);
        const metadata = await sharp(bytes).metadata();
        expect(metadata.exif, `${key} has EXIF`).toBeUndefined();
        expect(metadata.xmp, `${key} has XMP`).toBeUndefined();
        const text = bytes.toString('latin1');
        expect(text, key).not.toMatch(/<script|<html|Secret Photographer|GPS/i);
      }
      const served = await t.app.inject({ url: `/media/portraits/${portraitId}/display.jpg` });
      expect(served.statusCode).toBe(200);
      expect(served.rawPayload.toString('latin1')).not.toMatch(/<script|Secret Photographer/);
    }

    async function ffprobeTags(file: Buffer): Promise<Record<string, string>> {
      const target = path.join(workDir, `probe-${Date.now()}.mp4`);
      await writeFile(target, file);
      const { stdout } = await execFileAsync('ffprobe', [
        ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', target],
      ]);
      const probe = JSON.parse(stdout) as {
        format: { tags?: Record<string, string> };
        streams: { tags?: Record<string, string> }[];
      };
      const all: Record<string, string> = { ...probe.format.tags };
      for (const stream of probe.streams) Object.assign(all, stream.tags);
      return all;
    }

    async function expectVideoClean(videoId: string): Promise<void> {
      await runJobHandler(t, 'video.process', { videoId });
      const playable = await bytesOf(`videos/${videoId}/playable.mp4`);
      const tags = await ffprobeTags(playable);
      const leaked = Object.entries(tags).filter(([name, value]) =>
        /location|title|comment|\+51\.5/i.test(`${name}=${value}`),
      );
      expect(leaked, 'metadata left in the public video').toEqual([]);
      expect(playable.toString('latin1')).not.toMatch(/\+51\.5007|Secret Title|Secret Comment/);
      const poster = await sharp(await bytesOf(`videos/${videoId}/poster.jpg`)).metadata();
      expect(poster.exif).toBeUndefined();
      const served = await t.app.inject({ url: `/media/videos/${videoId}/video.mp4` });
      expect(served.statusCode).toBe(200);
      expect(served.rawPayload.toString('latin1')).not.toMatch(/\+51\.5007|Secret Title/);
    }

    async function expectLogoClean(): Promise<void> {
      const keys = (await storageKeys()).filter((key) => key.startsWith('studio/'));
      expect(keys.length).toBeGreaterThan(0);
      expect(
        keys.every((key) => /^studio\/(?:[\w-]+\/)?[\w-]+\.(?:png|jpg|webp)$/.test(key)),
        keys.join(),
      ).toBe(true);
      await expectNoClientNamedFiles();
    }

    for (const testCase of CORPUS) {
      if (testCase.outcome !== 'accepted') continue;
      it(`${testCase.name} → ${testCase.status.join('|')}`, { timeout: 120_000 }, async () => {
        const response = await send(testCase, await testCase.request(targets));
        expect(testCase.status, response.body.slice(0, 300)).toContain(response.statusCode);
        const body = response.json<Record<string, unknown>>();
        switch (testCase.check) {
          case 'photoClean':
            await expectPhotoClean((body as { portrait: { id: string } }).portrait.id);
            break;
          case 'videoClean':
            await expectVideoClean(
              (body as { video?: { id: string }; id?: string }).video?.id ?? String(body.id),
            );
            break;
          case 'logoClean':
            await expectLogoClean();
            break;
          case 'textClean': {
            if (response.statusCode === 400) {
              expect(body).toMatchObject({ error: { code: 'validation_failed' } });
              break;
            }
            const named = body as { name?: string; client?: { name: string } };
            const name = named.client?.name ?? named.name ?? '';
            expect(name.length).toBeGreaterThan(0);
            expect(hasUnsafeText(name), JSON.stringify(name)).toBe(false);
            break;
          }
        }
        expect(await filesUnder(uploadsDir())).toEqual([]);
      });
    }
  });
});
