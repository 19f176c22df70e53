import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Runs one job in a forked, low-priority Node process and returns its single reply.
 *
 * The wasm tools we drive keep global state, print to stdout and may call exit() or set
 * `process.exitCode`: inside a child none of that reaches the server. The child gets no
 * inherited exec flags (Vitest's or an inspector's) and only the environment it needs, and a
 * hard timeout or an abort kills it with SIGKILL: a wasm loop cannot be interrupted otherwise.
 */

export type ChildJobErrorCode = 'timeout' | 'aborted' | 'crashed' | 'failed';

export class ChildJobError extends Error {
  constructor(
    readonly code: ChildJobErrorCode,
    message: string,
    /** Last lines the child printed (its own log plus stdout/stderr), for diagnostics. */
    readonly log: string,
  ) {
    super(message);
    this.name = 'ChildJobError';
  }
}

export interface ChildJobOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Unix niceness for the child; 10 = yield to the HTTP server under load. */
  niceness?: number;
  /** Called with the child's pid once forked (metrics, tests). */
  onSpawn?: ((pid: number) => void) | undefined;
}

/** A worker file next to this module, valid in `src/` (Vitest) and `dist/` (copied by the build). */
export function workerPath(fileName: string): string {
  return fileURLToPath(new URL(fileName, import.meta.url));
}

const LOG_LIMIT = 8192;
const EXIT_GRACE_MS = 2000;

interface ReplyEnvelope {
  type: 'result' | 'error';
  message?: string;
  log?: string;
}

function isEnvelope(value: unknown): value is ReplyEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'result' || type === 'error';
}

/**
 * Forks `file`, sends `request`, resolves with the child's `{ type: 'result', ... }` reply.
 * Rejects with ChildJobError: `failed` (the child reported an error), `crashed` (it exited
 * without a reply), `timeout` or `aborted` (the parent killed it).
 */
export function runChildJob<TResult>(
  file: string,
  request: unknown,
  options: ChildJobOptions,
): Promise<TResult> {
  return new Promise<TResult>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ChildJobError('aborted', 'job aborted before start', ''));
      return;
    }
    if (!existsSync(file)) {
      // In dist/ this means the build did not copy the worker files next to the compiled code.
      reject(new ChildJobError('crashed', `worker file not found: ${file}`, ''));
      return;
    }
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    // Only what Node needs: no secrets, no NODE_OPTIONS (loaders, inspector) from the parent.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    if (process.env.NODE_ENV !== undefined) env.NODE_ENV = process.env.NODE_ENV;
    const child: ChildProcess = fork(file, [], {
      execArgv: [],
      env,
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    if (child.pid !== undefined) {
      options.onSpawn?.(child.pid);
      try {
        setPriority(child.pid, options.niceness ?? 10);
      } catch {
        // Not fatal: the job still runs, only at normal priority.
      }
    }

    let settled = false;
    const finish = (error: ChildJobError | null, value?: TResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        // Reject only once the child is gone, so "rejected" always means "no process left".
        const gone = child.exitCode !== null || child.signalCode !== null;
        if (gone || child.pid === undefined) {
          reject(error);
        } else {
          child.once('exit', () => {
            reject(error);
          });
          child.kill('SIGKILL');
        }
        return;
      }
      // The child exits on its own after replying; make sure it does.
      const reaper = setTimeout(() => {
        child.kill('SIGKILL');
      }, EXIT_GRACE_MS);
      reaper.unref();
      child.once('exit', () => {
        clearTimeout(reaper);
      });
      resolve(value as TResult);
    };
    const logTail = (extra?: string): string => `${extra ?? ''}${output}`.slice(-LOG_LIMIT);

    const timer = setTimeout(() => {
      finish(
        new ChildJobError('timeout', `job timed out after ${options.timeoutMs} ms`, logTail()),
      );
    }, options.timeoutMs);
    const onAbort = (): void => {
      finish(new ChildJobError('aborted', 'job aborted', logTail()));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('message', (message: unknown) => {
      if (!isEnvelope(message)) {
        finish(new ChildJobError('failed', 'worker sent an unexpected message', logTail()));
      } else if (message.type === 'error') {
        finish(
          new ChildJobError('failed', message.message ?? 'worker failed', logTail(message.log)),
        );
      } else {
        finish(null, message as TResult);
      }
    });
    child.on('error', (error) => {
      finish(new ChildJobError('crashed', `worker process error: ${error.message}`, logTail()));
    });
    // 'close', not 'exit': it comes after the IPC channel has delivered the last message.
    child.on('close', (code, signal) => {
      finish(
        new ChildJobError(
          'crashed',
          `worker exited without a result (code ${code ?? 'none'}, signal ${signal ?? 'none'})`,
          logTail(),
        ),
      );
    });
    child.send(request as object, (error) => {
      if (error)
        finish(new ChildJobError('crashed', `cannot send job: ${error.message}`, logTail()));
    });
  });
}
