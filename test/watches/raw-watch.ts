import type { Db } from '../../src/store/sqlite/open-db.ts';
import { watches } from '../../src/store/sqlite/schema.ts';

let counter = 0;

/** A watch row written straight to the table, bypassing addWatch's checks (to test the matcher alone). */
export function insertRawWatch(db: Db, userId: string, query: string, platform = 'discord'): void {
  counter += 1;
  db.insert(watches).values({ platform, userId, query, queryKey: `raw-${counter}`, createdAt: counter }).run();
}
