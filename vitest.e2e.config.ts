import { defineConfig } from 'vitest/config';

/**
 * Browser end-to-end tests: the built server (`npm run build` first) started as a child process by
 * tests/e2e/setup.ts, driven through Debian's Chromium with playwright-core. One server, one file at a time.
 */
export default defineConfig({
  root: '.',
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    globalSetup: ['tests/e2e/setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
