import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSessionSecret } from './session-secret.js';

const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vertex-secret-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('resolveSessionSecret', () => {
  it('returns the configured SESSION_SECRET as is and writes nothing', () => {
    const dataDir = path.join(tempDir(), 'data');
    const configured = ' configured-secret-with-spaces-0123456789 ';
    expect(resolveSessionSecret(configured, dataDir)).toBe(configured);
    expect(() => statSync(dataDir)).toThrow(/ENOENT/);
  });

  it('without one, creates DATA_DIR and a private session-secret file of at least 32 characters', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const secret = resolveSessionSecret(undefined, dataDir);

    expect(secret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  it('returns the same secret on every later start (persisted in DATA_DIR)', () => {
    const dataDir = tempDir();
    const first = resolveSessionSecret(undefined, dataDir);
    const second = resolveSessionSecret(undefined, dataDir);
    expect(second).toBe(first);
    const content = readFileSync(path.join(dataDir, 'session-secret'), 'utf8');
    expect(content.trim()).toBe(first);
  });

  it('gives each installation (DATA_DIR) its own random secret', () => {
    const a = resolveSessionSecret(undefined, tempDir());
    const b = resolveSessionSecret(undefined, tempDir());
    expect(a).not.toBe(b);
  });

  it('keeps a secret an operator put in the file, ignoring a trailing newline', () => {
    const dataDir = tempDir();
    const own = 'operator-provided-secret-0123456789abcdef';
    writeFileSync(path.join(dataDir, 'session-secret'), `${own}\n`);
    expect(resolveSessionSecret(undefined, dataDir)).toBe(own);
  });

  it.each([
    ['too short', 'short'],
    ['empty', ''],
    ['blank', ' \n'],
  ])('refuses a %s session-secret file', (_label, content) => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'session-secret'), content);
    expect(() => resolveSessionSecret(undefined, dataDir)).toThrow(/shorter than 32 characters/);
  });
});
