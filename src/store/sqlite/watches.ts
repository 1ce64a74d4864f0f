import { and, asc, count, eq } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import type { Deps } from '../../deps.ts';
import { UserError } from '../../errors.ts';
import { parseQuery, type Query } from '../../search/parse-query.ts';
import { queryKey } from '../../search/query-key.ts';
import { countMatches } from './search-papers.ts';
import type { Db } from './open-db.ts';
import { watches } from './schema.ts';

export type WatchRow = typeof watches.$inferSelect;
export type WatchUser = { platform: string; id: string };

/** Longer than any command allows; a guard for other callers (CLI, tests). */
const MAX_WATCH_LENGTH = 500;
/** The preview covers today and the 29 feed days before it. */
const PREVIEW_DAYS = 30;

const ofUser = (user: WatchUser) => and(eq(watches.platform, user.platform), eq(watches.userId, user.id));

/**
 * A watch must look for something: a word, phrase, author or organisation. Exclusions, since: and
 * min: alone would match nearly every new paper, so they are refused too.
 */
function checkWatchable(query: Query, text: string): void {
  if (text.length > MAX_WATCH_LENGTH) throw new UserError('bad_query', `That watch is too long (${text.length} characters; at most ${MAX_WATCH_LENGTH}).`);
  if (query.groups.length > 0 || query.authors.length > 0 || query.orgs.length > 0) return;
  const onlyFilters = query.exclude.length > 0 || query.since !== undefined || query.minUpvotes !== undefined;
  throw new UserError(
    'bad_query',
    onlyFilters
      ? 'A watch needs at least one word, "phrase", author:"Name" or org:name to look for: exclusions, since: and min: alone would match almost every new paper.'
      : 'That watch has nothing to look for. Use words, a "phrase", author:"Name" or org:name, e.g. `"state space model" -survey`.',
  );
}

/**
 * Saves a personal watch. Throws UserError 'bad_query' (nothing to look for), 'watch_duplicate'
 * (same query, however spaced, cased or ordered) or 'watch_limit' (config.MAX_WATCHES_PER_USER).
 * `previewCount` = stored papers of the last 30 feed days it matches; nothing is sent for them.
 */
export function addWatch(deps: Pick<Deps, 'db' | 'config' | 'clock'>, user: WatchUser, text: string): { watch: WatchRow; previewCount: number } {
  const trimmed = text.trim();
  const query = parseQuery(trimmed);
  checkWatchable(query, trimmed);
  const key = queryKey(query);
  const limit = deps.config.MAX_WATCHES_PER_USER;
  const watch = deps.db.transaction(
    (tx) => {
      const mine = tx.select().from(watches).where(ofUser(user)).orderBy(asc(watches.createdAt), asc(watches.id)).all();
      const same = mine.findIndex((row) => row.queryKey === key);
      if (same >= 0) {
        // Written for every surface (chat and CLI): no command syntax here.
        throw new UserError('watch_duplicate', `You already watch \`${mine[same]?.query ?? trimmed}\` (number ${same + 1} in your watches).`);
      }
      if (mine.length >= limit) {
        throw new UserError('watch_limit', `You already have ${mine.length} watches, the limit is ${limit}. Remove one first.`);
      }
      return tx
        .insert(watches)
        .values({ platform: user.platform, userId: user.id, query: trimmed, queryKey: key, createdAt: deps.clock.now().getTime() })
        .returning()
        .get();
    },
    // Immediate: two quick /papers watch calls cannot both pass the limit check.
    { behavior: 'immediate' },
  );
  const previewCount = countMatches(deps.db, trimmed, { sinceFeedDate: addDays(deps.clock.today(), -(PREVIEW_DAYS - 1)) });
  return { watch, previewCount };
}

/** The user's watches, oldest first (the numbering /papers watches shows). */
export function listWatches(db: Db, user: WatchUser): WatchRow[] {
  return db.select().from(watches).where(ofUser(user)).orderBy(asc(watches.createdAt), asc(watches.id)).all();
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Removes one of the user's watches. `ref` is what a person typed: its number in the list ("2"),
 * or its query (as typed, or any text with the same meaning). Internal ids are never accepted
 * here: a number past the list is an error, not another watch. Throws UserError 'not_found'.
 */
export function removeWatch(db: Db, user: WatchUser, ref: string): WatchRow {
  const wanted = ref.trim();
  const mine = listWatches(db, user);
  const found = findWatch(mine, wanted);
  db.delete(watches).where(eq(watches.id, found.id)).run();
  return found;
}

/**
 * Removes the user's watch with this internal id (a button that was drawn for it), however the
 * list changed since; undefined when it is gone or not theirs. One statement, so nothing can slip
 * between finding and deleting.
 */
export function removeWatchById(db: Db, user: WatchUser, id: number): WatchRow | undefined {
  return db.delete(watches).where(and(ofUser(user), eq(watches.id, id))).returning().get();
}

function findWatch(mine: WatchRow[], ref: string): WatchRow {
  if (mine.length === 0) throw new UserError('not_found', 'You have no watches.');
  const key = queryKey(parseQuery(ref));
  const byText = () => mine.find((row) => sameText(row.query, ref)) ?? mine.find((row) => key !== '' && row.queryKey === key);
  const number = /^#?(\d{1,9})$/.exec(ref)?.[1];
  if (number !== undefined) {
    const n = Number(number);
    // The list number first (what the watches list shows), then a watch whose query is that text ("2024").
    const found = (n >= 1 ? mine[n - 1] : undefined) ?? byText();
    if (found) return found;
    throw new UserError('not_found', `You have no watch ${n} (you have ${mine.length}).`);
  }
  const found = byText();
  if (found) return found;
  throw new UserError('not_found', `You have no watch \`${ref.slice(0, 100)}\`. Remove one by its number in your list or by its query.`);
}

export function countActiveWatches(db: Db): number {
  return db.select({ n: count() }).from(watches).get()?.n ?? 0;
}
