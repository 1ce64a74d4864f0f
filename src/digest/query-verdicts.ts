import { isEmptyQuery, parseQuery } from '../search/parse-query.ts';
import type { Store } from '../store/store.ts';

type QueryVerdict = 'match' | 'not_matching_query' | 'excluded_by_query';

/**
 * How a digest's query treats each paper: its include part (words, OR-groups, author:, org:,
 * since:, min:) must match, else `not_matching_query`; then its `-exclusions` must not, else
 * `excluded_by_query`. An empty query matches everything.
 */
export async function queryVerdicts(store: Store, queryText: string, paperIds: number[]): Promise<Map<number, QueryVerdict>> {
  const verdicts = new Map<number, QueryVerdict>(paperIds.map((id) => [id, 'match']));
  const query = parseQuery(queryText);
  if (isEmptyQuery(query) || paperIds.length === 0) return verdicts;
  const include = { ...query, exclude: [] };
  const included = isEmptyQuery(include) ? new Set(paperIds) : await store.paperIdsMatching(include, paperIds);
  const kept = query.exclude.length === 0 ? included : await store.paperIdsMatching(query, paperIds);
  for (const id of paperIds) {
    if (!included.has(id)) verdicts.set(id, 'not_matching_query');
    else if (!kept.has(id)) verdicts.set(id, 'excluded_by_query');
  }
  return verdicts;
}
