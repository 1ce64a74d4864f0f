import { categoryMatches } from '../papers/arxiv-category.ts';
import { TOKEN_COLUMNS, type TokenColumn as Column } from '../store/store.ts';
import { andInto, countBits, createBitset, hasBit, orInto, prefixCounts, rankOf, setBit, type Bitset } from './bitset.ts';
import type { MatchQuery, Term } from './compile-watch.ts';
import type { BatchPaper, PaperBatch } from './paper-batch.ts';

// Exact evaluation of compiled watch queries against the new papers, with FTS5's semantics (see
// compile-watch.ts). Thousands of queries share a few thousand terms, so the papers holding each
// term (a phrase confirmed with token positions) and passing each set of filters are found once per
// batch, on first use; a query is then a few word-wide ANDs, ORs and AND NOTs of those sets.

const AUTHORS_ONLY: readonly Column[] = ['authors'];
const NO_WORDS: string[] = [];

/** findPhrase's answer: the column's position in `columns` times this, plus the phrase's first token's position. */
const HIT_COLUMN = 0x1000000;

/** Where the token numbers occur as a phrase in the paper (first occurrence in column order, see HIT_COLUMN), or -1. */
function findPhrase(paper: BatchPaper, numbers: Int32Array, columns: readonly Column[]): number {
  const length = numbers.length;
  const first = numbers[0];
  if (first === undefined) return -1;
  for (let c = 0; c < columns.length; c += 1) {
    const stream = paper.streams[columns[c] as Column];
    const last = stream.length - length;
    next: for (let start = 0; start <= last; start += 1) {
      if (stream[start] !== first) continue;
      for (let i = 1; i < length; i += 1) if (stream[start + i] !== numbers[i]) continue next;
      return c * HIT_COLUMN + start;
    }
  }
  return -1;
}

/** The words of a phrase of `length` tokens at `position` as the paper spells them (lowercased), or null when the text split is unsure. */
function spelledHit(paper: BatchPaper, column: Column, position: number, length: number): string | null {
  const words = paper.words(column);
  const start = words?.starts[position];
  const end = words?.ends[position + length - 1];
  // From the first word's start to the last word's end, as highlight() marks a phrase.
  return words && start !== undefined && end !== undefined ? words.text.slice(start, end) : null;
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
  /**
   * The term's words in a paper holding it (see termBits), as the paper spells them, in a
   * one-word array shared by every caller; null when only FTS5's highlight() can tell.
   */
  spell(term: Term, paper: BatchPaper): string[] | null;
};

/** Per term of the batch: its papers, and once a paper's words are asked for, theirs (by rank among the papers). */
type TermSlot = { bits: Bitset; numbers: Int32Array | null; prefix: Uint16Array | null; words: Array<string[] | null | undefined> | null };

/** `idBound`: every term id is below it. */
export function createEvaluator(batch: PaperBatch, idBound: number): BatchEvaluator {
  const none = createBitset(batch.papers.length);
  // Term id → position in `slots` (-1: not computed yet): a sparse JS array would fall back to a dictionary.
  const slotOf = new Int32Array(idBound).fill(-1);
  const slots: TermSlot[] = [];
  const filters = new Map<string, Bitset>();
  const any = new Uint32Array(batch.size);

  const computeSlot = (term: Term): TermSlot => {
    const postings = term.authorsOnly ? batch.authorsColumn : batch.anyColumn;
    const numbers = new Int32Array(term.tokens.length);
    for (let t = 0; t < term.tokens.length; t += 1) {
      const n = batch.tokenNumber.get(term.tokens[t] ?? '');
      // A token no paper of the batch has: the term is in none of them.
      if (n === undefined || !postings[n]) return { bits: none, numbers: null, prefix: null, words: null };
      numbers[t] = n;
    }
    const first = numbers[0];
    if (first === undefined) return { bits: none, numbers: null, prefix: null, words: null };
    let bits = postings[first] ?? none;
    if (numbers.length > 1) {
      // Papers holding every token, then only those where they stand together as a phrase.
      const candidates = bits.slice();
      for (let t = 1; t < numbers.length; t += 1) {
        const next = postings[numbers[t] ?? 0] ?? none;
        andInto(candidates, next);
      }
      bits = createBitset(batch.papers.length);
      const columns = term.authorsOnly ? AUTHORS_ONLY : TOKEN_COLUMNS;
      for (const paper of batch.papers) {
        if (hasBit(candidates, paper.index) && findPhrase(paper, numbers, columns) >= 0) setBit(bits, paper.index);
      }
    }
    return { bits, numbers, prefix: null, words: null };
  };

  const slotFor = (term: Term): TermSlot => {
    const known = slots[slotOf[term.id] ?? -1];
    if (known) return known;
    const slot = computeSlot(term);
    slotOf[term.id] = slots.push(slot) - 1;
    return slot;
  };

  const termBits = (term: Term): Bitset => slotFor(term).bits;

  const filterBits = (query: MatchQuery, key: string): Bitset => {
    let bits = filters.get(key);
    if (!bits) {
      bits = createBitset(batch.papers.length);
      for (const paper of batch.papers) if (passesFilters(query, paper)) setBit(bits, paper.index);
      filters.set(key, bits);
    }
    return bits;
  };

  // One array per distinct spelled word: the same few thousand words are spelled in most of the
  // (term, paper) pairs, and what a match keeps outlives the young generation.
  const wordLists = new Map<string, string[]>();
  const wordList = (word: string): string[] => {
    let list = wordLists.get(word);
    if (!list) {
      list = [word];
      wordLists.set(word, list);
    }
    return list;
  };

  return {
    termBits,
    evaluate(query, out) {
      out.set(batch.all);
      for (const group of query.groups) {
        if (group.length === 1) {
          if (!andInto(out, termBits(group[0] as Term))) return false;
          continue;
        }
        any.fill(0);
        for (const term of group) {
          const bits = termBits(term);
          orInto(any, bits);
        }
        if (!andInto(out, any)) return false;
      }
      for (const author of query.authors) if (!andInto(out, termBits(author))) return false;
      for (const term of query.exclude) if (!andInto(out, termBits(term), true)) return false;
      return query.filterKey === null || andInto(out, filterBits(query, query.filterKey));
    },
    spell(term, paper) {
      const slot = slotFor(term);
      if (!slot.numbers || !hasBit(slot.bits, paper.index)) return [];
      const prefix = (slot.prefix ??= prefixCounts(slot.bits));
      const words = (slot.words ??= new Array<string[] | null | undefined>(countBits(slot.bits)));
      const rank = rankOf(slot.bits, prefix, paper.index);
      let spelled = words[rank];
      if (spelled === undefined) {
        const columns = term.authorsOnly ? AUTHORS_ONLY : TOKEN_COLUMNS;
        const hit = findPhrase(paper, slot.numbers, columns);
        const column = columns[Math.floor(hit / HIT_COLUMN)];
        const word = hit < 0 || column === undefined ? undefined : spelledHit(paper, column, hit % HIT_COLUMN, slot.numbers.length);
        spelled = word === undefined ? NO_WORDS : word === null ? null : wordList(word);
        words[rank] = spelled;
      }
      return spelled;
    },
  };
}
