import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

type Counts = Record<'passed' | 'failed' | 'skipped' | 'pending', number>;

const SLOWEST_SHOWN = 20;

/** The files that cost CI most time, to know what to make faster. */
function slowest(testModules: readonly TestModule[]): string[] {
  return testModules
    .map((module) => ({
      seconds: module.diagnostic().duration / 1000,
      label: `${module.project.name} ${module.relativeModuleId}`,
    }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, SLOWEST_SHOWN)
    .map(({ seconds, label }) => `  ${seconds.toFixed(1).padStart(7)}  ${label}`);
}

/**
 * Prints how many tests ran per project (unit, sqlite-local, postgres-s3) and a closing
 * `N passed, N failed, N skipped` line, the slowest files, and writes the same to `.tmp/test-summary.json`.
 * Skipped tests are reported as such, never as passes.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const perProject = new Map<string, Counts>();
    const total: Counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of testModules) {
      const name = module.project.name || 'default';
      const counts = perProject.get(name) ?? { passed: 0, failed: 0, skipped: 0, pending: 0 };
      perProject.set(name, counts);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        counts[state] += 1;
        total[state] += 1;
      }
      // A file that failed before its tests ran (import error, failing beforeAll) is a failure.
      if (module.state() === 'failed' && !module.ok()) {
        const anyFailed = [...module.children.allTests('failed')].length > 0;
        if (!anyFailed) {
          counts.failed += 1;
          total.failed += 1;
        }
      }
    }
    const lines = ['', 'Tests by project:'];
    for (const [name, c] of [...perProject].sort()) {
      lines.push(
        `  ${name.padEnd(14)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`,
      );
    }
    lines.push(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
    lines.push('', 'Slowest test files (tests and hooks, seconds):', ...slowest(testModules));
    process.stdout.write(`${lines.join('\n')}\n`);
    writeFileSync(
      '.tmp/test-summary.json',
      JSON.stringify({ total, projects: Object.fromEntries(perProject) }, null, 2),
    );
  }
}
