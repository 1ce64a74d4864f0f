import { addDays } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { parseQuery, type Query } from '../search/parse-query.ts';
import { queryKey } from '../search/query-key.ts';
import type { UserRef, WatchRow } from '../store/store.ts';
import { warmWatchIndex } from './watch-index.ts';

/** Longer than any command allows; a guard for other callers (CLI, tests). */
const MAX_WATCH_LENGTH = 500;
/** The preview covers today and the 29 feed days before it. */
const PREVIEW_DAYS = 30;

/**
 * A watch must look for something: a word, phrase, author or organisation. Exclusions, since:,
 * min:, cat: and source: alone would match nearly every new paper (hundreds a day for a category
 * on arXiv), so they are refused too.
 */
function checkWatchable(query: Query, text: string): void {
  if (text.length > MAX_WATCH_LENGTH) throw new UserError('bad_query', `That watch is too long (${text.length} characters; at most ${MAX_WATCH_LENGTH}).`);
  if (query.groups.length > 0 || query.authors.length > 0 || query.orgs.length > 0) return;
  const onlyFilters =
    query.exclude.length > 0 || query.since !== undefined || query.minUpvotes !== undefined || (query.categories ?? []).length > 0 || (query.sources ?? []).length > 0;
  throw new UserError(
    'bad_query',
    onlyFilters
      ? 'A watch needs at least one word, "phrase", author:"Name" or org:name to look for: exclusions, since:, min:, cat: and source: alone would match almost every new paper.'
      : 'That watch has nothing to look for. Use words, a "phrase", author:"Name" or org:name, e.g. `"state space model" -survey`.',
  );
}

/**
 * Saves a personal watch. Throws UserError 'bad_query' (nothing to look for), 'watch_duplicate'
 * (same query, however spaced, cased or ordered) or 'watch_limit' (config.MAX_WATCHES_PER_USER).
 * `previewCount` = stored papers of the last 30 feed days it matches; nothing is sent for them.
 * `artifacts` (default on): the watch's artifact alerts; given for a watch the user has already,
 * it changes that watch's setting (`changed`) instead of refusing the duplicate.
 */
export async function addWatch(
  deps: Pick<Deps, 'store' | 'config' | 'clock'>,
  user: UserRef,
  text: string,
  options: { artifacts?: boolean } = {},
): Promise<{ watch: WatchRow; previewCount: number; changed?: boolean }> {
  const trimmed = text.trim();
  const query = parseQuery(trimmed);
  checkWatchable(query, trimmed);
  const key = queryKey(query);
  const saved = await deps.store.insertWatch(user, { query: trimmed, queryKey: key, artifacts: options.artifacts }, deps.config.MAX_WATCHES_PER_USER, deps.clock.now());
  if (!saved.ok) {
    // Written for every surface (chat and CLI): no command syntax here.
    const same = saved.mine.findIndex((row) => row.queryKey === key);
    const existing = saved.mine[same];
    if (saved.reason === 'duplicate' && existing && options.artifacts !== undefined && existing.artifacts !== options.artifacts) {
      const changed = await deps.store.setWatchArtifacts(user, existing.id, options.artifacts);
      if (changed) return { watch: changed, previewCount: await deps.store.countMatches(query, addDays(deps.clock.today(), -(PREVIEW_DAYS - 1))), changed: true };
    }
    if (saved.reason === 'duplicate') {
      // Asking again for the setting it has changes nothing: say so, not "you no longer hear…".
      const setting = options.artifacts === undefined ? '' : `, already with artifacts: ${options.artifacts ? 'yes' : 'no'}`;
      throw new UserError('watch_duplicate', `You already watch \`${existing?.query ?? trimmed}\` (number ${same + 1} in your watches${setting}).`);
    }
    const limit = deps.config.MAX_WATCHES_PER_USER;
    // Over the limit when it was lowered after the watches were saved: say how many must go.
    const excess = saved.mine.length - limit + 1;
    throw new UserError(
      'watch_limit',
      excess > 1
        ? `You have ${saved.mine.length} watches and the limit is ${limit}: remove ${excess} of them to add one.`
        : `You already have ${saved.mine.length} watches, the limit is ${limit}. Remove one first.`,
    );
  }
  // The matcher's index follows now, not during the next ingest.
  warmWatchIndex(deps.store);
  const previewCount = await deps.store.countMatches(query, addDays(deps.clock.today(), -(PREVIEW_DAYS - 1)));
  return { watch: saved.watch, previewCount };
}
