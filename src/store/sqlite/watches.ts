import { and, asc, eq } from 'drizzle-orm';
import type { UserRef, UserWatches, WatchRow } from '../store.ts';
import { getMeta, setMeta } from './meta.ts';
import type { Db } from './open-db.ts';
import { watches } from './schema.ts';

const ofUser = (user: UserRef) => and(eq(watches.platform, user.platform), eq(watches.userId, user.id));

export function listWatches(db: Db, user: UserRef): WatchRow[] {
  return db.select().from(watches).where(ofUser(user)).orderBy(asc(watches.createdAt), asc(watches.id)).all();
}

export function listAllWatches(db: Db): UserWatches[] {
  // One JSON value, parsed in one call: 100k watches read as rows (three values each crossing into
  // JavaScript, then an object per row) cost twice as long.
  const json = db.$client
    .prepare<[], string>(
      `SELECT json_group_array(json_array(platform, user_id, json(queries))) FROM (
         SELECT platform, user_id, json_group_array(query ORDER BY created_at, id) AS queries FROM watches GROUP BY platform, user_id ORDER BY platform, user_id)`,
    )
    .pluck()
    .get();
  const users = JSON.parse(json ?? '[]') as Array<[string, string, string[]]>;
  return users.map(([platform, userId, queries]) => ({ platform, userId, queries }));
}

// Bumped in the unit of every insert and delete: count and max(id) alone would miss a deleted
// newest watch replaced by another (SQLite reuses that rowid).
const VERSION_KEY = 'watches_version';

export function watchesVersion(db: Db): string {
  return getMeta(db, VERSION_KEY) ?? '0';
}

/** Also for tests and the bench that write watch rows straight to the table. */
export function bumpWatchesVersion(tx: Pick<Db, 'select' | 'insert'>, now: number): void {
  setMeta(tx, VERSION_KEY, String(Number(getMeta(tx, VERSION_KEY) ?? 0) + 1), now);
}

export function insertWatch(
  db: Db,
  user: UserRef,
  watch: { query: string; queryKey: string; artifacts?: boolean },
  limit: number,
  now: number,
): { ok: true; watch: WatchRow } | { ok: false; reason: 'duplicate' | 'limit'; mine: WatchRow[] } {
  return db.transaction(
    (tx) => {
      const mine = tx.select().from(watches).where(ofUser(user)).orderBy(asc(watches.createdAt), asc(watches.id)).all();
      if (mine.some((row) => row.queryKey === watch.queryKey)) return { ok: false, reason: 'duplicate', mine };
      if (mine.length >= limit) return { ok: false, reason: 'limit', mine };
      const row = tx.insert(watches).values({ platform: user.platform, userId: user.id, query: watch.query, queryKey: watch.queryKey, artifacts: watch.artifacts ?? true, createdAt: now }).returning().get();
      bumpWatchesVersion(tx, now);
      return { ok: true, watch: row };
    },
    // Immediate: two quick watch commands cannot both pass the limit check.
    { behavior: 'immediate' },
  );
}

/** By owner and id in one statement, so nothing slips between finding and deleting. */
export function deleteWatch(db: Db, user: UserRef, watchId: number, now: number): WatchRow | undefined {
  return db.transaction((tx) => {
    const row = tx.delete(watches).where(and(ofUser(user), eq(watches.id, watchId))).returning().get();
    if (row) bumpWatchesVersion(tx, now);
    return row;
  });
}

/** The matcher's index does not read it: the watches version stays. */
export function setWatchArtifacts(db: Db, user: UserRef, watchId: number, artifacts: boolean): WatchRow | undefined {
  return db.update(watches).set({ artifacts }).where(and(ofUser(user), eq(watches.id, watchId))).returning().get();
}

export function readWatchForms(db: Db, version: number): Map<string, string> {
  // One JSON value, as listAllWatches: 65k forms read as rows cost about twice as long.
  const json = db.$client.prepare<[number], string>('SELECT json_group_array(json_array(query, form)) FROM watch_forms WHERE version = ?').pluck().get(version);
  return new Map(JSON.parse(json ?? '[]') as Array<[string, string]>);
}

export function writeWatchForms(db: Db, version: number, forms: Array<{ query: string; form: string }>, prune: boolean): void {
  const sqlite = db.$client;
  const upsert = sqlite.prepare('INSERT INTO watch_forms (query, version, form) VALUES (?, ?, ?) ON CONFLICT (query) DO UPDATE SET version = excluded.version, form = excluded.form');
  sqlite
    .transaction(() => {
      for (const { query, form } of forms) upsert.run(query, version, form);
      // NOT IN reads the watches' texts once into a temporary index (watches.query has none).
      if (prune) sqlite.prepare('DELETE FROM watch_forms WHERE query NOT IN (SELECT query FROM watches)').run();
    })
    // Immediate: two replicas' writers queue for the lock rather than fail upgrading to it.
    .immediate();
}
