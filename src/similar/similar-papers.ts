import { parseQuery } from '../search/parse-query.ts';
import type { PaperRow, Store } from '../store/store.ts';
import { distinctiveTerms, type DistinctiveTerm } from './distinctive-terms.ts';

export type SimilarPaper = { paper: PaperRow; score: number; shared: string[] };

/**
 * Papers like `paper`: its distinctive terms ORed into one query, ranked by the normal search
 * (relevance blended with upvotes and recency, docs/ranking.md), the paper itself left out. Each
 * result carries the words it shares with the query, as it spells them.
 */
export async function similarPapers(store: Store, paper: PaperRow, options: { limit: number; now: Date }): Promise<{ terms: DistinctiveTerm[]; results: SimilarPaper[] }> {
  const terms = await distinctiveTerms(store, paper);
  if (terms.length === 0) return { terms, results: [] };
  const query = parseQuery(terms.map((term) => term.word).join(' OR '));
  const found = await store.searchPapers(query, { limit: options.limit + 1, offset: 0, now: options.now });
  const others = found.results.filter((result) => result.paper.id !== paper.id).slice(0, options.limit);
  const results: SimilarPaper[] = [];
  for (const { paper: other, score } of others) results.push({ paper: other, score, shared: await store.matchedTerms(other.id, query) });
  return { terms, results };
}
