import { categoryMatches } from '../papers/arxiv-category.ts';
import type { TokenColumn as Column } from '../store/store.ts';
import { createBitset, hasBit, setBit, type Bitset } from './bitset.ts';
import type { MatchQuery, Term } from './compile-watch.ts';
import type { BatchPaper, PaperBatch } from './paper-batch.ts';

// Exact evaluation of compiled watch queries against the new papers, with FTS5's semantics (see
// compile-watch.ts). Thousands of queries share a few thousand terms, so the papers holding each
// term (a phrase confirmed with token positions) and passing each set of filters are found once per
// batch, on first use; a query is then a few word-wide ANDs, ORs and AND NOTs of those sets.

const ALL_COLUMNS: readonly Column[] = ['title', 'abstract', 'authors'];
const AUTHORS_ONLY: readonly Column[] = ['authors'];

type Hit = { column: Column; position: number; length: number };

/** Where `tokens` occur as a phrase in the paper (first occurrence in column order), or null. */
export function findPhrase(paper: BatchPaper, tokens: string[], columns: readonly Column[] = ALL_COLUMNS): Hit | null {
  const first = tokens[0];
  if (first === undefined) return null;
  const length = tokens.length;
  for (const column of columns) {
    const starts = paper.positions[column].get(first);
    if (starts === undefined) continue;
    const stream = paper.tokens[column];
    next: for (const start of starts) {
      for (let i = 1; i < length; i += 1) if (stream[start + i] !== tokens[i]) continue next;
      return { column, position: start, length };
    }
  }
  return null;
}

/** Where a term is found: authors-only terms (FTS5 `authors : "…"`) in that column alone. */
export function termColumns(term: Term): readonly Column[] {
  return term.authorsOnly ? AUTHORS_ONLY : ALL_COLUMNS;
}

/** The SQL filters of the query (org, since, min, cat, source) on one paper. */
function passesFilters(query: MatchQuery, paper: BatchPaper): boolean {
  if (query.since !== undefined && paper.latestFeedDate < query.since) return false;
  if (query.minUpvotes !== undefined && paper.upvotes < query.minUpvotes) return false;
  for (const org of query.orgs) if (paper.organization === null || !paper.organization.includes(org)) return false;
  for (const filter of query.categories) if (!paper.categories.some((category) => categoryMatches(filter, category))) return false;
  for (const source of query.sources) if (!(source === 'hf' ? paper.listedOnHf : paper.listedOnArxiv)) return false;
  return true;
}

export type BatchEvaluator = {
  /** The papers holding the term (empty: none), computed once per batch. */
  termBits(term: Term): Bitset;
  /** Sets `out` to the papers the query matches; false when there are none. */
  evaluate(query: MatchQuery, out: Bitset): boolean;
};

/** `idBound`: every term id is below it. */
export function createEvaluator(batch: PaperBatch, idBound: number): BatchEvaluator {
  const none = createBitset(batch.papers.length);
  // Term id → position in `terms` (-1: not computed yet): a sparse JS array would fall back to a dictionary.
  const slots = new Int32Array(idBound).fill(-1);
  const terms: Bitset[] = [];
  const filters = new Map<string, Bitset>();
  const any = new Uint32Array(batch.size);
  const size = batch.size;

  const termBits = (term: Term): Bitset => {
    const known = terms[slots[term.id] ?? -1];
    if (known) return known;
    const postings = term.authorsOnly ? batch.authorsColumn : batch.anyColumn;
    let bits = term.tokens.length === 0 ? none : (postings.get(term.tokens[0] ?? '') ?? none);
    if (term.tokens.length > 1 && bits !== none) {
      // Papers holding every token, then only those where they stand together as a phrase.
      const candidates = bits.slice();
      for (let t = 1; t < term.tokens.length; t += 1) {
        const next = postings.get(term.tokens[t] ?? '');
        for (let i = 0; i < size; i += 1) candidates[i] = next ? (candidates[i] ?? 0) & (next[i] ?? 0) : 0;
      }
      bits = createBitset(batch.papers.length);
      const columns = termColumns(term);
      for (const paper of batch.papers) {
        if (hasBit(candidates, paper.index) && findPhrase(paper, term.tokens, columns)) setBit(bits, paper.index);
      }
    }
    slots[term.id] = terms.push(bits) - 1;
    return bits;
  };

  const filterBits = (query: MatchQuery, key: string): Bitset => {
    let bits = filters.get(key);
    if (!bits) {
      bits = createBitset(batch.papers.length);
      for (const paper of batch.papers) if (passesFilters(query, paper)) setBit(bits, paper.index);
      filters.set(key, bits);
    }
    return bits;
  };

  /** out &= bits (or &= ~bits); whether any bit is left. */
  const and = (out: Bitset, bits: Bitset, negate: boolean): boolean => {
    let left = 0;
    for (let i = 0; i < size; i += 1) {
      const word = (out[i] ?? 0) & (negate ? ~(bits[i] ?? 0) : (bits[i] ?? 0));
      out[i] = word;
      left |= word;
    }
    return left !== 0;
  };

  return {
    termBits,
    evaluate(query, out) {
      out.set(batch.all);
      for (const group of query.groups) {
        if (group.length === 1) {
          if (!and(out, termBits(group[0] as Term), false)) return false;
          continue;
        }
        any.fill(0);
        for (const term of group) {
          const bits = termBits(term);
          for (let i = 0; i < size; i += 1) any[i] = (any[i] ?? 0) | (bits[i] ?? 0);
        }
        if (!and(out, any, false)) return false;
      }
      for (const author of query.authors) if (!and(out, termBits(author), false)) return false;
      for (const term of query.exclude) if (!and(out, termBits(term), true)) return false;
      return query.filterKey === null || and(out, filterBits(query, query.filterKey), false);
    },
  };
}

/** The words of one hit as the paper spells them (lowercased), or null when the text split is unsure. */
export function spelledHit(paper: BatchPaper, hit: Hit): string | null {
  const words = paper.words[hit.column];
  const start = words?.starts[hit.position];
  const end = words?.ends[hit.position + hit.length - 1];
  // From the first word's start to the last word's end, as highlight() marks a phrase.
  return words && start !== undefined && end !== undefined ? words.text.slice(start, end) : null;
}
