import { parseQuery } from '../search/parse-query.ts';
import type { PaperRow, Store } from '../store/store.ts';
import { distinctiveTerms, type DistinctiveTerm } from './distinctive-terms.ts';

type SimilarPaper = { paper: PaperRow; score: number; shared: string[] };

/** Candidates read from the normal search before the shared-term ordering. */
const CANDIDATES = 30;

/**
 * Papers like `paper`: its distinctive terms ORed into one query and searched with the normal
 * ranking (relevance blended with upvotes and recency, docs/ranking.md), the paper itself left
 * out. The normal ranking rewards a popular paper matching one common term as much as one
 * sharing several rare ones, so its first CANDIDATES results are then ordered by the tf-idf
 * weight of the distinctive terms each one shares (ties keep the search's order). Each result
 * carries the words it shares, as it spells them.
 */
export async function similarPapers(store: Store, paper: PaperRow, options: { limit: number; now: number }): Promise<{ terms: DistinctiveTerm[]; results: SimilarPaper[] }> {
  const terms = await distinctiveTerms(store, paper);
  if (terms.length === 0) return { terms, results: [] };
  const query = parseQuery(terms.map((term) => term.word).join(' OR '));
  const found = await store.searchPapers(query, { limit: CANDIDATES + 1, offset: 0, now: options.now });
  const others = found.results.filter((result) => result.paper.id !== paper.id).slice(0, CANDIDATES);
  const shared: string[][] = [];
  for (const { paper: other } of others) shared.push(await store.matchedTerms(other.id, query));
  // The index terms inside each matched word or phrase ("large language models" holds `model`).
  const matched = [...new Set(shared.flat())];
  const tokens = await store.tokenize(matched.map((text) => ({ title: text })));
  const stemsOf = new Map(matched.map((text, i) => [text, new Set(tokens[i]?.title ?? [])]));
  const weightOf = (words: string[]) => {
    const stems = new Set(words.flatMap((word) => [...(stemsOf.get(word) ?? [])]));
    return terms.reduce((sum, term) => sum + (stems.has(term.term) ? term.weight : 0), 0);
  };
  const results = others.map(({ paper: other, score }, i) => ({ paper: other, score, shared: shared[i] ?? [], weight: weightOf(shared[i] ?? []), order: i }));
  results.sort((a, b) => b.weight - a.weight || a.order - b.order);
  return { terms, results: results.slice(0, options.limit).map(({ paper: other, score, shared: words }) => ({ paper: other, score, shared: words })) };
}
