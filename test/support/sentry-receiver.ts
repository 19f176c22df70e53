import { Worker } from 'node:worker_threads';

/**
 * A stand-in for sentry.io and for the clients of the app, in a worker thread: the Sentry SDK
 * instruments the HTTP servers and clients of the thread it runs in, so a receiver or a client
 * there would be traced and reported on too (and its own uploads traced again, endlessly).
 */

/** One item of a Sentry envelope: `type` from its header, its payload parsed. */
export interface EnvelopeItem {
  type: string;
  payload: unknown;
}

export interface SentEvent {
  type?: string;
  transaction?: string;
  environment?: string;
  release?: string;
  tags?: Record<string, unknown>;
  request?: { url?: string; method?: string; headers?: Record<string, string> };
  exception?: { values?: { value?: string }[] };
}

export interface Answer {
  status: number;
  requestId: string;
  body: unknown;
}

export interface Request {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The client's own address (any of 127.0.0.0/8 on Linux). */
  localAddress: string;
}

// CommonJS, run by the worker. The receiver accepts `POST /api/<project>/envelope/`, gzip or not.
const WORKER = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const zlib = require('node:zlib');
const receiver = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method !== 'POST' || !/^\\/api\\/\\d+\\/envelope\\/?/.test(request.url || '')) {
      response.writeHead(404).end();
      return;
    }
    const body = Buffer.concat(chunks);
    const raw = request.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body;
    parentPort.postMessage({ type: 'envelope', raw });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
receiver.listen(0, '127.0.0.1', () => {
  parentPort.postMessage({ type: 'listening', port: receiver.address().port });
});
parentPort.on('message', (message) => {
  if (message.type === 'sync') {
    parentPort.postMessage({ type: 'synced', id: message.id });
    return;
  }
  if (message.type === 'close') {
    receiver.close(() => parentPort.close());
    return;
  }
  const { id, port, method, path, headers, body, localAddress } = message;
  const request = http.request({ host: '127.0.0.1', port, method, path, headers, localAddress }, (response) => {
    const chunks = [];
    response.on('data', (chunk) => chunks.push(chunk));
    response.on('end', () => {
      parentPort.postMessage({
        type: 'answer', id, status: response.statusCode,
        requestId: String(response.headers['x-request-id']),
        text: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });
  request.on('error', (error) => parentPort.postMessage({ type: 'answer', id, error: error.message }));
  request.end(body);
});
`;

type WorkerMessage =
  | { type: 'listening'; port: number }
  | { type: 'envelope'; raw: Uint8Array }
  | { type: 'synced'; id: number }
  | { type: 'answer'; id: number; status: number; requestId: string; text: string }
  | { type: 'answer'; id: number; error: string };

/** `header\n(itemHeader\npayload\n)*`; a payload is `length` bytes when its header says so. */
export function parseEnvelope(raw: Buffer): EnvelopeItem[] {
  let offset = 0;
  const line = (): string => {
    const end = raw.indexOf(0x0a, offset);
    const stop = end === -1 ? raw.length : end;
    const text = raw.subarray(offset, stop).toString('utf8');
    offset = stop + 1;
    return text;
  };
  line(); // the envelope's own header: event id, DSN, sent_at
  const items: EnvelopeItem[] = [];
  while (offset < raw.length) {
    const headerText = line();
    if (headerText.trim() === '') continue;
    const header = JSON.parse(headerText) as { type: string; length?: number };
    let payload: string;
    if (header.length === undefined) {
      payload = line();
    } else {
      payload = raw.subarray(offset, offset + header.length).toString('utf8');
      offset += header.length + 1;
    }
    items.push({ type: header.type, payload: JSON.parse(payload) as unknown });
  }
  return items;
}

export async function startSentryReceiver() {
  const worker = new Worker(WORKER, { eval: true });
  const envelopes: Buffer[] = [];
  const waiting = new Map<number, (message: WorkerMessage) => void>();
  let nextId = 0;
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'listening') resolve(message.port);
      else if (message.type === 'envelope') envelopes.push(Buffer.from(message.raw));
      else waiting.get(message.id)?.(message);
    });
  });
  const ask = (message: object) =>
    new Promise<WorkerMessage>((resolve) => {
      const id = ++nextId;
      waiting.set(id, (answer) => {
        waiting.delete(id);
        resolve(answer);
      });
      worker.postMessage({ ...message, id });
    });
  const items = () => envelopes.flatMap(parseEnvelope);
  const eventsOf = (type: string) =>
    items()
      .filter((item) => item.type === type)
      .map((item) => item.payload as SentEvent);

  return {
    /** The receiver's port: the DSN is `http://<key>@127.0.0.1:<port>/<project>`. */
    port,
    /** A request to the app from outside the SDK's reach. */
    async send(request: Request): Promise<Answer> {
      const answer = await ask({ type: 'send', ...request });
      if (answer.type !== 'answer') throw new Error(`unexpected ${answer.type}`);
      if ('error' in answer) throw new Error(answer.error);
      return {
        status: answer.status,
        requestId: answer.requestId,
        body: answer.text === '' ? undefined : (JSON.parse(answer.text) as unknown),
      };
    },
    /** Resolves once every envelope the receiver got so far has been counted here. */
    sync: () => ask({ type: 'sync' }).then(() => undefined),
    /** Everything received, decoded: for what must not be in it. */
    text: () => Buffer.concat(envelopes).toString('utf8'),
    errors: () => eventsOf('event'),
    transactions: () => eventsOf('transaction'),
    async close(): Promise<void> {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ type: 'close' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await worker.terminate();
    },
  };
}

export type SentryReceiver = Awaited<ReturnType<typeof startSentryReceiver>>;
