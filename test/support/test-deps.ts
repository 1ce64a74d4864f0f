import { Writable } from 'node:stream';
import { fixedClock, type Clock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/log.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

export type TestDeps = Deps & {
  store: SqliteStore;
  /** The store's drizzle handle, for seeding and asserting on tables directly. */
  db: SqliteStore['db'];
  clock: ReturnType<typeof fixedClock>;
  logLines: () => Array<Record<string, unknown>>;
};

/**
 * Real deps for tests: a migrated in-memory SQLite store, fixed clock, real fetch, a logger whose JSON
 * lines are captured (assert on them with `logLines()`).
 */
export function testDeps(options: { env?: Record<string, string>; now?: string; store?: SqliteStore; clock?: Clock } = {}): TestDeps {
  // Every external base URL points at a closed local port unless a test sets its fake: a test that
  // forgot to can never reach the real Hugging Face, arXiv, Discord or Slack.
  const config: Config = loadConfig({
    LOG_LEVEL: 'debug',
    DATABASE_PATH: ':memory:',
    HF_BASE_URL: 'http://127.0.0.1:9',
    DISCORD_API_URL: 'http://127.0.0.1:9/api',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    ARXIV_RSS_URL: 'http://127.0.0.1:9/rss/',
    ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
    ...options.env,
  });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const store = options.store ?? openSqliteStore(':memory:');
  const clock = fixedClock(options.now ?? '2026-09-01T10:00:00Z');
  return {
    config,
    log: createLogger(config, sink),
    store,
    db: store.db,
    clock,
    fetch: globalThis.fetch,
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
