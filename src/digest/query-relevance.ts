import type { Query } from '../search/parse-query.ts';
import type { PaperRow, Store } from '../store/store.ts';
import { TITLE_WEIGHT } from '../similar/distinctive-terms.ts';

// How well each paper of an arXiv announcement answers the digest's query, for its ranking:
// tf-idf over the full-text index's own terms (the store stems papers and query alike, so
// "retrieval" finds "retrieve"), as similar papers weigh a paper's words:
//   score = Σ over the query's terms t: (3 × occurrences in the title + in the abstract) × (1 + ln(N / df(t)))
// Only the query's include terms count (its typed words, phrases' words and their variants);
// filters (cat:, author:) and exclusions decide inclusion, not rank. A query without words scores 0.

/** The query's include words and phrases, as typed and as variants. */
function includeTexts(query: Query): string[] {
  return query.groups.flat().map((term) => term.text);
}

/** Relevance of each paper to `query` (by paper id); 0 when the query holds no words. */
export async function queryRelevance(store: Store, query: Query, papers: PaperRow[]): Promise<Map<number, number>> {
  const scores = new Map<number, number>(papers.map((paper) => [paper.id, 0]));
  const texts = includeTexts(query);
  if (texts.length === 0 || papers.length === 0) return scores;
  const queryTerms = new Set((await store.tokenize(texts.map((title) => ({ title })))).flatMap((row) => row.title));
  if (queryTerms.size === 0) return scores;
  const { documents, counts } = await store.termDocumentCounts([...queryTerms]);
  const idf = (term: string) => Math.log(Math.max(documents, 1) / Math.max(counts.get(term) ?? 1, 1)) + 1;
  const tokenized = await store.tokenize(papers.map((paper) => ({ title: paper.title, abstract: paper.abstract })));
  papers.forEach((paper, i) => {
    const row = tokenized[i];
    if (!row) return;
    let score = 0;
    for (const [column, weight] of [[row.title, TITLE_WEIGHT], [row.abstract, 1]] as const) {
      for (const term of column) if (queryTerms.has(term)) score += weight * idf(term);
    }
    scores.set(paper.id, score);
  });
  return scores;
}
