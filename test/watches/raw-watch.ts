import { watches } from '../../src/store/sqlite/schema.ts';
import { bumpWatchesVersion } from '../../src/store/sqlite/watches.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

let counter = 0;

/** A watch row written straight to the table, bypassing addWatch's checks (to test the matcher alone). */
export function insertRawWatch(store: SqliteStore, userId: string, query: string, platform = 'discord'): void {
  counter += 1;
  store.db.insert(watches).values({ platform, userId, query, queryKey: `raw-${counter}`, createdAt: counter }).run();
  // What insertWatch does in its unit: the matcher's index notices the new row.
  bumpWatchesVersion(store.db, counter);
}
