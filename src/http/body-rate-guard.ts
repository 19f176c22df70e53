import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface BodyRateOptions {
  /** 0 turns the guard off. */
  minBytesPerSecond: number;
  windowSeconds: number;
}

const hasBody = (raw: IncomingMessage): boolean =>
  raw.headers['transfer-encoding'] !== undefined ||
  Number(raw.headers['content-length'] ?? '0') > 0;

/**
 * Cuts off a request whose body arrives slower than `minBytesPerSecond`, measured over each
 * `windowSeconds`: a client trickling 10 bytes every 5 s would otherwise hold a connection and
 * an upload's temp file for as long as the whole-request deadline allows.
 *
 * It counts the bytes the socket has read (whoever consumes the body: Fastify's parser or a
 * multipart stream) and does not read anything itself. A window in which the server, not the
 * client, is the slow side (body bytes buffered unread: backpressure) does not count. A client
 * that is cut off gets a 408 written on the socket, which is then closed: for the route this is
 * the same as a client that went away mid-upload (the multipart reader removes its temp files).
 */
export function registerBodyRateGuard(app: FastifyInstance, options: BodyRateOptions): void {
  if (options.minBytesPerSecond <= 0) return;
  const windowMs = options.windowSeconds * 1000;
  const minBytesPerWindow = options.minBytesPerSecond * options.windowSeconds;

  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    // `app.inject` hands over the whole body at once through a socket without byte counts.
    if (raw.complete || !hasBody(raw) || typeof raw.socket.bytesRead !== 'number') {
      done();
      return;
    }
    const socket = raw.socket;
    let counted = socket.bytesRead;
    const timer = setInterval(() => {
      if (raw.complete || raw.destroyed || socket.destroyed) {
        stop();
        return;
      }
      const read = socket.bytesRead;
      const serverIsBehind = raw.readableLength > 0 || socket.isPaused();
      if (read - counted >= minBytesPerWindow || serverIsBehind) {
        counted = read;
        return;
      }
      stop();
      request.log.warn(
        { bytesInWindow: read - counted, windowSeconds: options.windowSeconds },
        'request body too slow: connection closed',
      );
      if (reply.raw.headersSent) {
        socket.destroy();
        return;
      }
      const body = JSON.stringify({
        error: {
          code: 'request_timeout',
          message: `the request body arrived slower than ${options.minBytesPerSecond} bytes/s`,
          requestId: request.id,
        },
      });
      socket.end(
        'HTTP/1.1 408 Request Timeout\r\n' +
          'Connection: close\r\n' +
          'Cache-Control: no-store\r\n' +
          'Content-Type: application/json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${request.id}\r\n\r\n${body}`,
        () => socket.destroy(),
      );
    }, windowMs);
    timer.unref();
    const stop = () => {
      clearInterval(timer);
    };
    raw.once('end', stop);
    raw.once('close', stop);
    reply.raw.once('close', stop);
    done();
  });
}
