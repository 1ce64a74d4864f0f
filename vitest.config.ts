import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // better-sqlite3 is a native module: forks are the safe pool for it.
    pool: 'forks',
    // Vitest's default on 2 cores is one worker, but most slow files wait (child processes, kill
    // tests, PostgreSQL, fakes' timers) rather than compute: two workers halve the wall time.
    maxWorkers: 2,
  },
});
