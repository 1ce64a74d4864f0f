import type { PaperRow, Store } from '../store/store.ts';

// A paper's most distinctive words: tf-idf over the full-text index's own terms. Words are cut
// and stemmed by the store exactly as the index does (store.tokenize), so "models" and "model"
// count as one term, and document frequencies come from the index (store.termDocumentCounts).
//   tf(t)    = 3 × occurrences in the title + occurrences in the abstract
//   idf(t)   = ln(N / df(t)), N papers stored, df(t) papers holding t
//   weight   = tf × idf
// A term only this paper holds (df ≤ 1) finds nothing and is skipped; so are words shorter than
// three letters, numbers and a short list of words every abstract uses.

export const TITLE_WEIGHT = 3;
/** How many terms the search for similar papers ORs together. */
const MAX_TERMS = 8;

const STOPWORDS = new Set(
  (
    'the and for with from that this these those into onto over under our ours their its are was were been being has have had can could ' +
    'may might will would should shall not but also via than then thus such which while where when what who whom how all any each more ' +
    'most other some both only own same very using use used based new show shows shown propose proposed present presents paper work approach ' +
    'method methods results result achieve achieves demonstrate experiments experimental existing however furthermore moreover across within ' +
    'without between among well further first two three one large small significantly significant state art study code available'
  ).split(' '),
);

export type DistinctiveTerm = {
  /** The term as the index holds it (stemmed). */
  term: string;
  /** The paper's own spelling of it, for the query and the reply. */
  word: string;
  weight: number;
};

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length >= 3 && !/^\p{N}+$/u.test(word) && !STOPWORDS.has(word));
}

/** The paper's `MAX_TERMS` most distinctive terms, heaviest first. */
export async function distinctiveTerms(store: Store, paper: Pick<PaperRow, 'title' | 'abstract'>, max = MAX_TERMS): Promise<DistinctiveTerm[]> {
  const titleWords = wordsOf(paper.title);
  const abstractWords = wordsOf(paper.abstract);
  const distinct = [...new Set([...titleWords, ...abstractWords])];
  if (distinct.length === 0) return [];
  const stems = await store.tokenize(distinct.map((word) => ({ title: word })));
  const stemOf = new Map<string, string>();
  distinct.forEach((word, i) => {
    const tokens = stems[i]?.title ?? [];
    // A word the index drops (a stop word on PostgreSQL) or splits is not a term of its own.
    if (tokens.length === 1 && tokens[0]) stemOf.set(word, tokens[0]);
  });
  const tf = new Map<string, number>();
  const spelling = new Map<string, string>();
  const count = (words: string[], weight: number) => {
    for (const word of words) {
      const stem = stemOf.get(word);
      if (!stem) continue;
      tf.set(stem, (tf.get(stem) ?? 0) + weight);
      // The shortest spelling reads best ("model" rather than "modelling").
      const known = spelling.get(stem);
      if (!known || word.length < known.length) spelling.set(stem, word);
    }
  };
  count(titleWords, TITLE_WEIGHT);
  count(abstractWords, 1);
  const { documents, counts } = await store.termDocumentCounts([...tf.keys()]);
  const terms: DistinctiveTerm[] = [];
  for (const [term, frequency] of tf) {
    const df = counts.get(term) ?? 0;
    if (df <= 1 || documents <= 1) continue;
    terms.push({ term, word: spelling.get(term) ?? term, weight: frequency * Math.log(documents / df) });
  }
  return terms.sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term)).slice(0, max);
}
