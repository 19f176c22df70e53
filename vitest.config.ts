import { defineConfig } from 'vitest/config';

/**
 * Four projects:
 * - `unit`: pure logic (`*.test.ts`), run once;
 * - `browser`: the public AR page in Debian Chromium with a fake camera (`*.browser.test.ts`),
 *   run once (it uses no database or storage);
 * - `sqlite-local` and `postgres-s3`: the integration suite (`*.int.test.ts`), run once per
 *   backend. `scripts/test.sh` decides which backends are available and exports the S3 settings.
 */
const integration = ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'];
const browser = ['test/**/*.browser.test.ts'];
/** Phone-emulation tests assert start-up times: they run last, alone (see their file). */
const phone = ['test/e2e/viewer-phone.browser.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts'],
      reporter: ['text-summary', 'json-summary', 'html'],
      reportsDirectory: 'coverage',
      // The floor, not the aim.
      thresholds: { lines: 70 },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...integration, ...browser, 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: browser,
          exclude: [...phone, 'node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'phone',
          include: phone,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'sqlite-local',
          include: integration,
          env: { VERTEX_TEST_BACKEND: 'sqlite-local' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres-s3',
          include: integration,
          env: { VERTEX_TEST_BACKEND: 'postgres-s3' },
        },
      },
    ],
  },
});
