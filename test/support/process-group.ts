import type { ChildProcess } from 'node:child_process';

/**
 * Helper daemons a test starts in their own process group (`spawn(..., { detached: true })`):
 * tracked so that they die with the test worker even if afterAll never ran, and stopped with
 * SIGTERM, then SIGKILL when they do not go in time.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Process groups still running: killed when this process exits. */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Kills the child's process group when this process exits, unless it ended before. */
export function trackProcessGroup<T extends ChildProcess>(child: T): T {
  const pid = child.pid;
  if (pid !== undefined) {
    running.add(pid);
    child.once('exit', () => running.delete(pid));
  }
  return child;
}

/** SIGTERM to the child's whole group; SIGKILL after `termMs`; waits at most `killMs` more. */
export async function stopProcessGroup(
  child: ChildProcess,
  { termMs = 3000, killMs = 1000 }: { termMs?: number; killMs?: number } = {},
): Promise<void> {
  const pid = child.pid;
  if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      child.kill(name);
    }
  };
  signal('SIGTERM');
  if (!(await Promise.race([gone.then(() => true), sleep(termMs).then(() => false)]))) {
    signal('SIGKILL');
    await Promise.race([gone, sleep(killMs)]);
  }
}
