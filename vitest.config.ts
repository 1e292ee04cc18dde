import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'bench/**'], // tests/faults: only faults.test.ts (the short fault run) matches
    globalSetup: ['tests/global-setup.ts'],
    // Forks, not threads: the Temporal worker's native bridge and process signals want real processes.
    pool: 'forks',
    maxWorkers: 2, // 2-core machine, and every test file also runs a worker against the shared server
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
