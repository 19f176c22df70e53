import { accessSync, constants, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pino, { type DestinationStream, type TransportTargetOptions } from 'pino';
import type { LogSettings } from '../config.js';

/** The rotating files of `LOG_FILE` / `LOG_ERROR_FILE`, written by a pino worker thread. */
export interface LogFiles {
  stream: DestinationStream;
  /** Called once when the files fail for good (the caller stops sending them lines). */
  onFailure(listener: (error: Error) => void): void;
  /** Writes out every line sent so far and closes the files; resolves when they are closed. */
  close(): Promise<void>;
}

// Resolved here: pino would look the target up from its caller's folder, which differs
// between the sources (tests) and dist/.
const PINO_ROLL = createRequire(import.meta.url).resolve('pino-roll');

/** `null` when neither `LOG_FILE` nor `LOG_ERROR_FILE` is set. */
export function openLogFiles(settings: LogSettings): LogFiles | null {
  const targets: TransportTargetOptions[] = [];
  if (settings.file !== undefined) {
    targets.push({
      target: PINO_ROLL,
      level: 'trace',
      options: rollOptions(settings.file, settings),
    });
  }
  if (settings.errorFile !== undefined) {
    targets.push({
      target: PINO_ROLL,
      level: 'warn',
      options: rollOptions(settings.errorFile, settings),
    });
  }
  if (targets.length === 0) return null;

  const transport = pino.transport({ targets });
  let closed = false;
  transport.once('close', () => {
    closed = true;
  });
  let closing: Promise<void> | undefined;
  return {
    stream: transport,
    onFailure(listener) {
      let failed = false;
      // Kept attached: a write racing the failure emits another 'error', which must not crash.
      transport.on('error', (error: Error) => {
        if (failed) return;
        failed = true;
        listener(error);
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (closed) {
          resolve();
          return;
        }
        // pino unrefs the worker: hold the process until it has written and closed the files.
        const holdOpen = setInterval(() => undefined, 1000);
        transport.once('close', () => {
          clearInterval(holdOpen);
          resolve();
        });
        transport.end();
      });
      return closing;
    },
  };
}

function rollOptions(file: string, settings: LogSettings): Record<string, unknown> {
  // A start-up error naming the variable beats a worker failing later with EACCES.
  const folder = path.dirname(file);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new Error(`cannot write log files into ${folder}: ${(error as Error).message}`);
  }
  return {
    file,
    size: `${settings.maxSizeBytes / 1024}k`,
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    mode: 0o600,
    // Synchronous writes (inside the worker thread, never blocking requests): a rotation then
    // creates the new file before the clean-up lists the folder, so the clean-up always keeps
    // exactly `limit.count` files, the new one included; asynchronously that was a race.
    sync: true,
    // Files of earlier runs too (numbering continues after a restart): a restart must not
    // leave files behind forever. Hence `+ 1`: the file being written counts here.
    limit: { count: settings.retention + 1, removeOtherLogFiles: true },
  };
}
