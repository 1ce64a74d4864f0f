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
    // A worker keeps its loaded modules from one test file to the next instead of importing
    // discord.js, Bolt, drizzle and our sources again for each (a third of the suite's CPU time).
    // Tests hold no state in modules: each builds its deps, stores and fakes, and closes them.
    isolate: false,
    // The bot compiled once per run for the child processes the CLI and reliability tests spawn;
    // the run's PostgreSQL test schemas, kept by each worker from file to file, dropped at its end.
    globalSetup: ['test/support/compile-bot.ts', 'test/support/postgres-run.ts'],
    // Per-file clean-up that must run even though the support modules are loaded once per worker.
    setupFiles: ['test/support/each-file.ts'],
  },
});
