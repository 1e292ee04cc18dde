import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'tests/faults/**', 'bench/**'], // tests/faults runs in .ci/run (npm run test:faults)
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/setup-runtime.ts'],
    // Forks, not threads: the Temporal worker's native bridge and process signals want real processes.
    pool: 'forks',
    maxWorkers: 2, // 2-core machine, and every test file also runs a worker against the shared server
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
