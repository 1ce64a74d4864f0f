import { and, asc, eq, sql } from 'drizzle-orm';
import type { UserRef, UserWatches, WatchRow } from '../store.ts';
import { getMeta } from './meta.ts';
import type { PgTx } from './papers.ts';
import { queryRows, type PgDb } from './pg-db.ts';
import { pgTextValues } from './pg-text.ts';
import { meta, watches } from './schema.ts';

const ofUser = (user: UserRef) => and(eq(watches.platform, user.platform), eq(watches.userId, user.id));

export async function listWatches(db: PgDb | PgTx, user: UserRef): Promise<WatchRow[]> {
  return db.select().from(watches).where(ofUser(user)).orderBy(asc(watches.createdAt), asc(watches.id));
}

export async function listAllWatches(db: PgDb): Promise<UserWatches[]> {
  // One row per user (as on SQLite, where it is one JSON value): 100k watch rows cost twice as long.
  return queryRows<UserWatches>(
    db,
    sql`SELECT platform, user_id AS "userId", array_agg(query ORDER BY created_at, id) AS queries FROM watches GROUP BY platform, user_id ORDER BY platform, user_id`,
  );
}

// Bumped in the transaction of every insert and delete, as on SQLite (count and max(id) alone
// would miss a deleted watch replaced by another).
const VERSION_KEY = 'watches_version';

export async function watchesVersion(db: PgDb): Promise<string> {
  return (await getMeta(db, VERSION_KEY)) ?? '0';
}

/** One statement, so two concurrent bumps both count (the second waits for the first's row lock). */
async function bumpWatchesVersion(tx: PgDb | PgTx, now: number): Promise<void> {
  await tx
    .insert(meta)
    .values({ key: VERSION_KEY, value: '1', updatedAt: now })
    .onConflictDoUpdate({ target: meta.key, set: { value: sql`(${meta.value}::bigint + 1)::text`, updatedAt: now } });
}

/** First key of the per-user watch lock; the second is a hash of platform and user. */
const WATCH_LOCK_KEY = 0x70627768; // 'pbwh'

export async function insertWatch(
  db: PgDb,
  user: UserRef,
  watch: { query: string; queryKey: string; artifacts?: boolean },
  limit: number,
  now: number,
): Promise<{ ok: true; watch: WatchRow } | { ok: false; reason: 'duplicate' | 'limit'; mine: WatchRow[] }> {
  const { query, queryKey } = pgTextValues(watch);
  return db.transaction(async (tx) => {
    // Serialises check + insert per user (two replicas answering two quick watch commands): under
    // READ COMMITTED both would otherwise count the same rows and both pass the limit.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${WATCH_LOCK_KEY}, hashtext(${`${user.platform}:${user.id}`}))`);
    const mine = await listWatches(tx, user);
    if (mine.some((row) => row.queryKey === queryKey)) return { ok: false, reason: 'duplicate', mine };
    if (mine.length >= limit) return { ok: false, reason: 'limit', mine };
    const [row] = await tx.insert(watches).values({ platform: user.platform, userId: user.id, query, queryKey, artifacts: watch.artifacts ?? true, createdAt: now }).returning();
    if (!row) throw new Error('watch insert returned no row');
    await bumpWatchesVersion(tx, now);
    return { ok: true, watch: row };
  });
}

/** By owner and id in one statement, so nothing slips between finding and deleting. */
export async function deleteWatch(db: PgDb, user: UserRef, watchId: number, now: number): Promise<WatchRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(watches).where(and(ofUser(user), eq(watches.id, watchId))).returning();
    if (row) await bumpWatchesVersion(tx, now);
    return row;
  });
}

/** The matcher's index does not read it: the watches version stays. */
export async function setWatchArtifacts(db: PgDb, user: UserRef, watchId: number, artifacts: boolean): Promise<WatchRow | undefined> {
  const [row] = await db.update(watches).set({ artifacts }).where(and(ofUser(user), eq(watches.id, watchId))).returning();
  return row;
}

export async function readWatchForms(db: PgDb, version: number): Promise<Map<string, string>> {
  // One value for all forms, as listAllWatches is one row per user (65k rows cost more).
  const [row] = await queryRows<{ forms: string }>(db, sql`SELECT coalesce(json_agg(json_build_array(query, form)), '[]')::text AS forms FROM watch_forms WHERE version = ${version}`);
  return new Map(JSON.parse(row?.forms ?? '[]') as Array<[string, string]>);
}

export async function writeWatchForms(db: PgDb, version: number, forms: Array<{ query: string; form: string }>, prune: boolean): Promise<void> {
  const rows = JSON.stringify(forms.map(({ query, form }) => [query, form]));
  await db.transaction(async (tx) => {
    // In text order, so replicas writing the same texts at once take their row locks in one order.
    await tx.execute(sql`INSERT INTO watch_forms (query, version, form)
      SELECT f ->> 0, ${version}, f ->> 1 FROM jsonb_array_elements(${rows}::jsonb) AS f ORDER BY f ->> 0
      ON CONFLICT (query) DO UPDATE SET version = EXCLUDED.version, form = EXCLUDED.form`);
    if (prune) await tx.execute(sql`DELETE FROM watch_forms AS f WHERE NOT EXISTS (SELECT 1 FROM watches AS w WHERE w.query = f.query)`);
  });
}
