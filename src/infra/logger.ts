import type { LoggerOptions } from 'pino';
import type { LogLevel } from '../config.js';

/**
 * JSON logs, one line per event. Fastify's request serializer logs method, URL and remote
 * address only; the redaction below is a second line of defence for anything that carries
 * credentials.
 */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    base: { service: 'vertex-ar' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.accessToken',
        '*.csrfToken',
        '*.secretAccessKey',
      ],
      censor: '[redacted]',
    },
  };
}
