import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { lazyPostgresTestStore, testBackend } from './postgres-test-db.ts';

/**
 * A migrated in-memory store (PostgreSQL under PAPERBOY_TEST_BACKEND=postgres, see test-deps.ts;
 * reading its `db` then throws).
 */
export function createTestStore(): SqliteStore {
  return testBackend() === 'postgres' ? (lazyPostgresTestStore() as SqliteStore) : openSqliteStore(':memory:');
}

/** A migrated store in a fresh temp directory (WAL, locking, child processes). */
export function createTempStoreFile(): { path: string; dir: string; store: SqliteStore; db: SqliteStore['db']; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-test-'));
  const path = join(dir, 'paperboy.db');
  const store = openSqliteStore(path);
  return {
    path,
    dir,
    store,
    db: store.db,
    cleanup() {
      void store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
