import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { parseQuery } from '../search/parse-query.ts';
import { queryKey } from '../search/query-key.ts';
import type { UserRef, WatchRow } from '../store/store.ts';
import { takeArtifactsWord } from './artifacts-word.ts';
import { warmWatchIndex } from './watch-index.ts';

const spaced = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Removes one of the user's watches. `ref` is what a person typed: its number in the list ("2"),
 * or its query (as typed, or any text with the same meaning). `artifacts:no` among the words is
 * the watch's option, as when it was added, so the text that added a watch removes it. Internal
 * ids are never accepted here: a number past the list is an error, not another watch. Throws
 * UserError 'not_found'.
 */
export async function removeWatch(deps: Pick<Deps, 'store' | 'clock'>, user: UserRef, ref: string): Promise<WatchRow> {
  const found = findWatch(await deps.store.listWatches(user), ref.trim());
  const removed = await deps.store.deleteWatch(user, found.id, deps.clock.now());
  // The matcher's index follows now, not during the next ingest.
  warmWatchIndex(deps.store);
  // Gone meanwhile (another replica, the App Home): it is not watched any more, which is what was asked.
  return removed ?? found;
}

function findWatch(mine: WatchRow[], typed: string): WatchRow {
  if (mine.length === 0) throw new UserError('not_found', 'You have no watches.');
  // Without the option first; then the words as typed, for a watch saved before `artifacts:` was
  // an option, whose query holds it as a word.
  const named = takeArtifactsWord(typed).query;
  const ref = named === '' ? typed : named;
  const texts = ref === typed ? [ref] : [ref, typed];
  // The text as typed, else the same meaning. Never the letters ignoring case: `llm or agents` (a
  // word `or`) and `llm OR agents` are two watches, and the key already ignores case where it may.
  const byText = () => {
    for (const text of texts) {
      const key = queryKey(parseQuery(text));
      const found = mine.find((row) => spaced(row.query) === spaced(text)) ?? mine.find((row) => key !== '' && row.queryKey === key);
      if (found) return found;
    }
    return undefined;
  };
  // Any run of digits is a list number, however long (never an id, never a query first); a dot or
  // parenthesis after it is how the list shows it (`2. quasar`), pasted with it.
  const number = /^#?(\d+)[.)]?$/.exec(ref)?.[1];
  if (number !== undefined) {
    const digits = number.replace(/^0+(?=\d)/, '');
    const n = digits.length <= 9 ? Number(digits) : Number.POSITIVE_INFINITY;
    // The list number first (what the watches list shows), then a watch whose query is that text ("2024").
    const found = (n >= 1 ? mine[n - 1] : undefined) ?? byText();
    if (found) return found;
    const shown = digits.length > 30 ? `${digits.slice(0, 29)}…` : digits;
    throw new UserError('not_found', `You have no watch ${shown} (you have ${mine.length}).`);
  }
  const found = byText();
  if (found) return found;
  throw new UserError('not_found', `You have no watch \`${typed.slice(0, 100)}\`. Remove one by its number in your list or by its query.`);
}
