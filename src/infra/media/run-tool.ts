import { spawn } from 'node:child_process';
import { AppError } from '../../shared/errors.js';
import { rejectedMedia } from './rejected-media.js';

export interface RunToolOptions {
  /** Hard limit; the process is killed (SIGKILL) when it is reached. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Cap on captured stdout (ffprobe JSON); more is an error, not a memory problem. */
  maxStdoutBytes?: number;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  /** The last few KiB only: enough for an error message. */
  stderr: string;
}

const STDERR_TAIL_BYTES = 8 * 1024;

/**
 * Runs ffmpeg/ffprobe with an argument array (never a shell, so file names cannot inject
 * anything), no stdin, a hard timeout and abort support. Resolves with the exit code whatever
 * it is; rejects only when the tool cannot run (`ffmpeg_unavailable`), times out
 * (`media_timeout`), is aborted (`media_aborted`) or prints too much.
 * Resolves or rejects only after the process has exited, so callers can clean up its files.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolResult> {
  const maxStdout = options.maxStdoutBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(aborted(command));
      return;
    }
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = Buffer.alloc(0);
    let failure: AppError | undefined;

    // SIGKILL, not SIGTERM: ffmpeg would spend time finalising an output we throw away.
    const kill = (error: AppError): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      kill(
        new AppError('media_timeout', 504, `${command} took longer than ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    const onAbort = (): void => {
      kill(aborted(command));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        kill(rejectedMedia('unsupported_media', 415, `${command} produced too much output`));
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_TAIL_BYTES) stderr = stderr.subarray(-STDERR_TAIL_BYTES);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure ??=
        error.code === 'ENOENT'
          ? new AppError('ffmpeg_unavailable', 503, `${command} is not installed`)
          : new AppError('ffmpeg_unavailable', 503, `${command} could not start: ${error.message}`);
    });
    // 'close' comes after 'exit' and after the pipes drained, also after a spawn error.
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (failure) {
        reject(failure);
        return;
      }
      resolve({
        exitCode: code ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: stderr.toString('utf8'),
      });
    });
  });
}

function aborted(command: string): AppError {
  return new AppError('media_aborted', 503, `${command} was cancelled`);
}

/** The last line ffmpeg printed, for error details (paths are server-generated, not secrets). */
export function lastLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 500);
}
