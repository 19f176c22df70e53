import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.js';

/**
 * JSON bodies must be UTF-8 (RFC 8259). Fastify's parser decodes invalid bytes to U+FFFD and
 * carries on, so a client's broken text would be stored as replacement characters: refuse it
 * instead, then parse as before (prototype poisoning refused, empty body refused).
 */
export function registerStrictJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new AppError('invalid_json', 400, 'the body is not valid UTF-8'), undefined);
      return;
    }
    void parseJson(request, bytes.toString('utf8'), done);
  });
}
