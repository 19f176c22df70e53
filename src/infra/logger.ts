import pino, { type Logger, type LoggerOptions } from 'pino';
import type { LogLevel, LogSettings } from '../config.js';
import { maskIp } from './ip-mask.js';
import { openLogFiles } from './log-files.js';

const REDACTED = '[redacted]';

/**
 * Credentials, wherever a log call might carry them. Fastify's request serializer logs no
 * headers or bodies at all; this is the second line of defence.
 */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["x-csrf-token"]',
  ...[
    'password',
    'currentPassword',
    'newPassword',
    'passphrase',
    'secret',
    'token',
    'accessToken',
    'csrfToken',
    'secretAccessKey',
    'authorization',
    'cookie',
  ].flatMap((key) => [key, `*.${key}`]),
];

/** Keys whose value is a client address (`LOG_MASK_IP`), at the top level or one below. */
const IP_KEYS = new Set(['ip', 'remoteAddress', 'clientIp']);
const IP_PATHS = [...IP_KEYS].flatMap((key) => [key, `*.${key}`]);

/** What Fastify's request serializer reads from a request. */
interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  host: string;
  ip: string | undefined;
}

/** Fastify's request serializer (same fields), with the address masked and no source port. */
function maskedRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: req.url,
    version: req.headers['accept-version'],
    host: req.host,
    remoteAddress: req.ip === undefined ? undefined : maskIp(req.ip),
    // remotePort left out: with the time, it could still single out one connection.
  };
}

/**
 * JSON logs, one line per event. Redaction hides credentials; with `maskIp`, client addresses
 * keep only their network (see `maskIp`).
 */
export function loggerOptions(level: LogLevel, privacy: { maskIp: boolean }): LoggerOptions {
  return {
    level,
    base: { service: 'vertex-ar' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    // Takes precedence over Fastify's own `req` serializer.
    ...(privacy.maskIp ? { serializers: { req: maskedRequest } } : {}),
    redact: {
      paths: [...SECRET_PATHS, ...(privacy.maskIp ? IP_PATHS : [])],
      censor: (value, path) =>
        IP_KEYS.has(path.at(-1) ?? '') && typeof value === 'string' ? maskIp(value) : REDACTED,
    },
  };
}

export interface AppLogger {
  logger: Logger;
  /** Writes out every pending line (the files closed); later lines go to stdout only. */
  close(): Promise<void>;
}

type Destination = ReturnType<typeof pino.destination>;

/**
 * The process logger: JSON lines to stdout, exactly as before when no log file is set, and
 * also to `LOG_FILE` (every level) and `LOG_ERROR_FILE` (warnings and errors) when set.
 * `stdout` replaces file descriptor 1 (tests give a file, to keep the runner's output clean).
 */
export function createLogger(
  level: LogLevel,
  settings: LogSettings,
  stdout?: Destination,
): AppLogger {
  const options = loggerOptions(level, settings);
  const files = openLogFiles(settings);
  if (files === null) {
    const logger = stdout === undefined ? pino(options) : pino(options, stdout);
    return { logger, close: () => flush(logger) };
  }
  let detached = false;
  // Levels are filtered by the logger itself ('trace' lets every line it writes through); the
  // worker parses each line's level for LOG_ERROR_FILE. Once detached, lines skip the files.
  const toFiles = {
    write(line: string) {
      if (!detached) files.stream.write(line);
    },
  };
  const out = stdout ?? pino.destination(1);
  const logger = pino(
    options,
    pino.multistream([
      { level: 'trace', stream: out },
      { level: 'trace', stream: toFiles },
    ]),
  );
  files.onFailure((error) => {
    detached = true;
    process.stderr.write(`log files failed, logging to stdout only: ${error.message}\n`);
  });
  return {
    logger,
    async close() {
      detached = true;
      await files.close();
      await flush(out);
    },
  };
}

/** Resolves once stdout has taken every line (never rejects: closing must go on). */
function flush(stream: { flush(cb: (error?: Error) => void): void }): Promise<void> {
  return new Promise((resolve) => {
    try {
      stream.flush(() => {
        resolve();
      });
    } catch {
      resolve();
    }
  });
}
