import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createPostgresTestDb } from '../support/postgres-test-db.ts';

// The Store opened on either backend, so one `describe.each(backends)` asserts that the same
// calls give the same rows.

export type OpenedStore = { store: Store; close(): Promise<void> };

export const backends: Array<{ name: string; open(): Promise<OpenedStore> }> = [
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
      return { store: createPostgresStore(handle.db), close: () => handle.close() };
    },
  },
];
