import { addDays, isFeedDate } from '../src/clock.ts';
import { UserError } from '../src/errors.ts';
import { filtersBesideOr, isEmptyQuery, malformedFilters, MAX_MIN_UPVOTES, parseQuery, type FilterKey, type Query } from '../src/search/parse-query.ts';
import type { CommandSyntax } from './command-syntax.ts';

// Search, watch and a digest's filter refuse a query that cannot mean what was typed, instead of
// quietly searching its words: a filter with a malformed value (`min:-1`, `since:2026-1-5`) or
// nothing at all (`*`), or a filter on one side of an OR (`cat:cs.CL OR retrieval`). Search and watch also refuse a query that only excludes (`-diffusion`):
// it would list every other paper, newest first, which nobody means by a search, and a watch on it
// would alert on nearly every new paper. A digest filter may only exclude: the day's papers, less
// some, is a sensible digest.

const rightForm: Record<FilterKey, (value: string, today: string) => string> = {
  since: (value, today) => {
    const parts = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
    const padded = parts ? `${parts[1]}-${(parts[2] ?? '').padStart(2, '0')}-${(parts[3] ?? '').padStart(2, '0')}` : undefined;
    const guess = padded && padded !== value && isFeedDate(padded) ? `; did you mean since:${padded}?` : `, like since:${addDays(today, -31)}.`;
    return `since: takes a feed day as YYYY-MM-DD${guess}`;
  },
  min: () => `min: takes a whole number of upvotes from 0 to ${MAX_MIN_UPVOTES.toLocaleString('en-US')}, like min:10.`,
  author: () => 'author: takes a name, like author:"Jane Doe".',
  org: () => 'org: takes a name, like org:deepmind.',
  cat: () => 'cat: takes an arXiv category or archive, like cat:cs.CL or cat:cs.',
  source: () => 'source: takes hf or arxiv, like source:arxiv.',
};

/** Throws UserError 'bad_query' for a malformed filter or a query with nothing in it. */
export function checkQuery(text: string, context: { today: string; verb: 'search' | 'watch' | 'filter'; syntax: CommandSyntax }): void {
  const { today, verb, syntax } = context;
  const [bad] = malformedFilters(text);
  if (bad) {
    const typed = `${bad.key}:${bad.value}`;
    // A whole number past the bound is not malformed, just too large.
    const problem = bad.key === 'min' && /^\d+$/.test(bad.value) ? 'is too large' : 'is malformed';
    throw new UserError('bad_query', `\`${typed}\` ${problem}: ${rightForm[bad.key](bad.value, today)} To ${verb} for the text itself, quote it: ${syntax.quoted(typed)}.`);
  }
  const [beside] = filtersBesideOr(text);
  if (beside) {
    throw new UserError(
      'bad_query',
      `\`${beside}\` is next to OR, but OR only joins words and "phrases": a filter always narrows the whole query, so it cannot be one side of an "either". ` +
        `Drop the OR to require both, or use one ${verb === 'watch' ? 'watch' : verb === 'search' ? 'search' : 'query'} for each side.`,
    );
  }
  const query = parseQuery(text);
  if (isEmptyQuery(query)) {
    const what = text.trim() === '' ? `Nothing to ${verb} for: give a query` : `Nothing to ${verb} for in \`${text.slice(0, 60)}\``;
    throw new UserError('bad_query', `${what}: use words, a "phrase", author:"Name" or org:name, e.g. \`diffusion -survey\`.`);
  }
  if (verb !== 'filter' && onlyExcludes(query)) {
    // `--limit` (an option's name searched for as text) excludes "limit", which nobody means: an
    // example adding a word would keep it an exclusion (and on the CLI read as an option).
    const dashed = text.split(/\s+/).find((word) => /^--+[\p{L}\p{N}]/u.test(word));
    if (dashed) {
      const shown = dashed.slice(0, 60);
      throw new UserError('bad_query', `\`${shown}\` reads as leaving out ${shown.replace(/^-+/, '')} (a leading - excludes a word), which leaves nothing to ${verb} for. To ${verb} for the text itself, quote it: ${syntax.quoted(shown)}.`);
    }
    const excluded = text.trim().slice(0, 60);
    // A watch needs a word, phrase, author or organisation (addWatch refuses filters alone), so its
    // example offers only that; a search may narrow by date instead.
    const add =
      verb === 'watch'
        ? `add a word, a "phrase", author:"Name" or org:name to watch for, e.g. \`video ${excluded}\``
        : `add a word, a "phrase" or a filter to search for, e.g. \`video ${excluded}\` or \`since:${addDays(today, -7)} ${excluded}\``;
    throw new UserError('bad_query', `\`${excluded}\` only says what to leave out: ${add}.`);
  }
}

/** Exclusions and nothing else: no word, author, organisation or other filter to look for. */
function onlyExcludes(query: Query): boolean {
  return isEmptyQuery({ ...query, exclude: [] });
}
