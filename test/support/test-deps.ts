import { fixedClock, type Clock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/log.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { captureStream } from './capture.ts';
import { lazyPostgresTestStore, testBackend } from './postgres-test-db.ts';

type BaseTestDeps = Deps & {
  clock: ReturnType<typeof fixedClock>;
  logLines: () => Array<Record<string, unknown>>;
};

export type TestDeps = BaseTestDeps & {
  store: SqliteStore;
  /** The store's drizzle handle, for seeding and asserting on tables directly. */
  db: SqliteStore['db'];
};

/** Deps over a store of either backend (the shared store suite's `backends`). */
export type AnyStoreTestDeps = BaseTestDeps & { store: Store };

type TestDepsOptions = { env?: Record<string, string>; now?: string; clock?: Clock };

/**
 * Real deps for tests: a migrated in-memory SQLite store, fixed clock, real fetch, a logger whose JSON
 * lines are captured (assert on them with `logLines()`).
 *
 * PAPERBOY_TEST_BACKEND=postgres (a diagnostic run: `PAPERBOY_TEST_BACKEND=postgres npx vitest run
 * test/commands`) gives each call a fresh PostgreSQL schema instead, to find where the backends
 * differ; a test that reads `db` then fails, saying it runs on SQLite only.
 */
export function testDeps(options: TestDepsOptions & { store: SqliteStore }): TestDeps;
export function testDeps(options: TestDepsOptions & { store: Store }): AnyStoreTestDeps;
export function testDeps(options?: TestDepsOptions & { store?: SqliteStore }): TestDeps;
export function testDeps(options: TestDepsOptions & { store?: Store } = {}): TestDeps | AnyStoreTestDeps {
  // Every external base URL points at a closed local port unless a test sets its fake: a test that
  // forgot to can never reach the real Hugging Face, arXiv, Discord or Slack.
  const config: Config = loadConfig({
    LOG_LEVEL: 'debug',
    DATABASE_PATH: ':memory:',
    HF_BASE_URL: 'http://127.0.0.1:9',
    DISCORD_API_URL: 'http://127.0.0.1:9/api',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    // The archive backfill only where a test turns it on (test/backfill/).
    BACKFILL_FROM: 'off',
    ARXIV_RSS_URL: 'http://127.0.0.1:9/rss/',
    ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
    ...options.env,
  });
  const sink = captureStream();
  const store = options.store ?? (testBackend() === 'postgres' ? lazyPostgresTestStore() : openSqliteStore(':memory:'));
  const clock = fixedClock(options.now ?? '2026-09-01T10:00:00Z');
  const deps: AnyStoreTestDeps = {
    config,
    log: createLogger(config, sink.stream),
    store,
    clock,
    fetch: globalThis.fetch,
    logLines: () => sink.lines().map((line) => JSON.parse(line) as Record<string, unknown>),
  };
  if (store.dialect === 'sqlite') return { ...deps, store: store as SqliteStore, db: (store as SqliteStore).db };
  // PostgreSQL: a getter, so that reading `db` (not building deps, nor `{ ...deps }`) is what
  // fails, saying the test runs on SQLite only.
  return Object.defineProperty(deps, 'db', { enumerable: false, get: () => (store as SqliteStore).db }) as TestDeps;
}
