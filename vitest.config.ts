// One runner for every layer of tests. `electron` is aliased to a stub because its
// binary cannot be downloaded on the machines that run these tests; everything
// else the tests touch is real (sshd nodes, loop devices, Chromium).
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const electronStub = fileURLToPath(new URL('./test/stubs/electron.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: { electron: electronStub } },
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Loop devices and sshd fleets are machine-wide resources: one file at a time.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
