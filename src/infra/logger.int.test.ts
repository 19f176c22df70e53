import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogSettings } from '../config.js';
import { createLogger } from './logger.js';

type LogLine = Record<string, unknown>;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vertex-logger-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const settings = (overrides: Partial<LogSettings> = {}): LogSettings => ({
  file: path.join(dir, 'logs', 'app.log'),
  errorFile: path.join(dir, 'logs', 'errors.log'),
  maxSizeBytes: 10 * 1024 * 1024,
  retention: 2,
  maskIp: true,
  ...overrides,
});

/** A real file standing in for file descriptor 1. */
const stdoutFile = () => path.join(dir, 'stdout.log');
const stdout = () => pino.destination({ dest: stdoutFile(), sync: true });

const textOf = (file: string) => readFileSync(file, 'utf8');
const linesOf = (text: string): LogLine[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogLine);

/** The text of the one file pino-roll writes for `<stem>.log` (no rotation at 10m). */
function rolled(stem: string): string {
  const names = readdirSync(path.join(dir, 'logs')).filter((name) => name.startsWith(`${stem}.`));
  expect(names).toEqual([
    expect.stringMatching(new RegExp(`^${stem}\\.\\d{4}-\\d{2}-\\d{2}\\.1\\.log$`)),
  ]);
  return textOf(path.join(dir, 'logs', names[0] ?? ''));
}

describe('createLogger with LOG_FILE and LOG_ERROR_FILE (real files, real pino-roll)', () => {
  it('writes every level to LOG_FILE and warn and above to LOG_ERROR_FILE, all of it by close()', async () => {
    const logs = createLogger('trace', settings(), stdout());
    for (let i = 0; i < 2000; i++) logs.logger.info({ i }, 'many');
    logs.logger.trace('a trace');
    logs.logger.debug('a debug');
    logs.logger.warn('a warning');
    logs.logger.error({ err: new Error('boom') }, 'an error');
    logs.logger.fatal('a fatal');
    await logs.close(); // no wait before it: close() itself must write everything out

    const all = linesOf(rolled('app'));
    expect(all).toHaveLength(2000 + 5);
    expect(all.filter((line) => line.msg === 'many').map((line) => line.i)).toEqual(
      Array.from({ length: 2000 }, (_, i) => i),
    );
    expect(linesOf(rolled('errors')).map((line) => [line.level, line.msg])).toEqual([
      [40, 'a warning'],
      [50, 'an error'],
      [60, 'a fatal'],
    ]);
    // stdout carries exactly the same lines.
    expect(textOf(stdoutFile())).toBe(rolled('app'));
  });

  it('after close() logs on to stdout only, without failing', async () => {
    const logs = createLogger('info', settings(), stdout());
    logs.logger.info('before');
    await logs.close();
    await logs.close(); // closing twice is harmless (the server and the context both may)
    logs.logger.error('after');
    expect(linesOf(rolled('app')).map((line) => line.msg)).toEqual(['before']);
    expect(linesOf(textOf(stdoutFile())).map((line) => line.msg)).toEqual(['before', 'after']);
  });

  it('takes LOG_ERROR_FILE alone, without LOG_FILE', async () => {
    const logs = createLogger('info', settings({ file: undefined }), stdout());
    logs.logger.info('routine');
    logs.logger.warn('look at this');
    await logs.close();
    expect(readdirSync(path.join(dir, 'logs')).every((name) => name.startsWith('errors.'))).toBe(
      true,
    );
    expect(linesOf(rolled('errors')).map((line) => line.msg)).toEqual(['look at this']);
  });

  it('refuses to start when the folder cannot be created, naming it', () => {
    const notAFolder = path.join(dir, 'file');
    writeFileSync(notAFolder, '');
    expect(() =>
      createLogger('info', settings({ file: path.join(notAFolder, 'logs', 'app.log') })),
    ).toThrow(`cannot write log files into ${path.join(notAFolder, 'logs')}`);
  });
});

describe('what a line may contain', () => {
  const logged = {
    ip: '198.51.100.23',
    session: { ip: '2001:db8:abcd:12::1', userId: 'u-1' },
    password: 'hunter2-hunter2',
    body: { newPassword: 'n3w-passw0rd', currentPassword: 'old-passw0rd' },
    headers: { authorization: 'Bearer abc.def.ghi', cookie: 'vertex_session=abc' },
    token: 'vxk_secret-key',
  };

  it('redacts credentials and masks addresses at the top level and one below', async () => {
    const logs = createLogger(
      'info',
      settings({ file: undefined, errorFile: undefined }),
      stdout(),
    );
    logs.logger.info(logged, 'with secrets');
    await logs.close();
    const text = textOf(stdoutFile());
    expect(linesOf(text)[0]).toMatchObject({
      ip: '198.51.100.0',
      session: { ip: '2001:db8:abcd::', userId: 'u-1' },
      password: '[redacted]',
      body: { newPassword: '[redacted]', currentPassword: '[redacted]' },
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      token: '[redacted]',
    });
    for (const secret of [
      'hunter2',
      'n3w-passw0rd',
      'old-passw0rd',
      'abc.def',
      'vxk_',
      '198.51.100.23',
      ':12::1',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('keeps full addresses with LOG_MASK_IP=false, and still redacts credentials', async () => {
    const logs = createLogger(
      'info',
      settings({ file: undefined, errorFile: undefined, maskIp: false }),
      stdout(),
    );
    logs.logger.info(logged, 'with secrets');
    await logs.close();
    expect(linesOf(textOf(stdoutFile()))[0]).toMatchObject({
      ip: '198.51.100.23',
      session: { ip: '2001:db8:abcd:12::1' },
      password: '[redacted]',
    });
  });
});
