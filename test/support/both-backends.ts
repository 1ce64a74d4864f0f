import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createPostgresTestDb } from './postgres-test-db.ts';

// The Store opened on either backend, so one `describe.each(backends)` asserts that the same
// calls give the same rows. The shared store suite (test/store/) runs every Store method this
// way; PostgreSQL is the local server, or PGlite when none answers (postgres-test-db.ts).

export type OpenedStore = { store: Store; close(): Promise<void> };
export type Backend = { name: 'sqlite' | 'postgres'; open(): Promise<OpenedStore> };

export const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const store = openSqliteStore(':memory:');
      return { store, close: () => store.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const handle = await createPostgresTestDb();
      // Closing the store ends the pool and drops the schema, as closing the bot's store ends its pool.
      const store = createPostgresStore(handle.db, () => handle.close());
      return { store, close: () => store.close() };
    },
  },
];

/** Inside a `describe.each(backends)`: one store for the block's tests, which build on each other. */
export function sharedStore(backend: Backend, seed?: (store: Store) => Promise<unknown>): () => Store {
  return useStore(backend, beforeAll, afterAll, seed);
}

/** Inside a `describe.each(backends)`: a new, empty store for every test. */
export function storePerTest(backend: Backend, seed?: (store: Store) => Promise<unknown>): () => Store {
  return useStore(backend, beforeEach, afterEach, seed);
}

function useStore(
  backend: Backend,
  before: (fn: () => Promise<void>, timeout?: number) => void,
  after: (fn: () => Promise<void>) => void,
  seed?: (store: Store) => Promise<unknown>,
): () => Store {
  let opened: OpenedStore | undefined;
  before(async () => {
    opened = await backend.open();
    await seed?.(opened.store);
  }, 120_000);
  after(async () => {
    await opened?.close();
    opened = undefined;
  });
  return () => {
    if (!opened) throw new Error('the store is opened before each test');
    return opened.store;
  };
}
