import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Property tests: one fixed seed unless FC_SEED is given (test/support/fast-check-seed.ts).
    setupFiles: ['test/support/fast-check-seed.ts'],
  },
});
