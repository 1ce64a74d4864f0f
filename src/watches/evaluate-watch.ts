import { categoryMatches } from '../papers/arxiv-category.ts';
import type { TokenColumn as Column } from '../store/store.ts';
import type { MatchQuery, StemmedTerm } from './compile-watch.ts';
import type { BatchPaper, PaperBatch } from './paper-batch.ts';

// Exact evaluation of one compiled watch query against the new papers: first bitsets narrow the papers
// to those holding every needed token (cheap, may over-approximate phrases), then each candidate is
// checked term by term with token positions, with FTS5's semantics (see compile-watch.ts).

const ALL_COLUMNS: readonly Column[] = ['title', 'abstract', 'authors'];
const AUTHORS_ONLY: readonly Column[] = ['authors'];

export type Hit = { column: Column; position: number; length: number };

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

/** Like findPhrase, without allocating: is the phrase anywhere in `columns`? */
export function hasPhrase(paper: BatchPaper, tokens: string[], columns: readonly Column[] = ALL_COLUMNS): boolean {
  const first = tokens[0];
  if (first === undefined) return false;
  for (const column of columns) {
    const starts = paper.positions[column].get(first);
    if (starts === undefined) continue;
    if (tokens.length === 1) return true;
    const stream = paper.tokens[column];
    next: for (const start of starts) {
      for (let i = 1; i < tokens.length; i += 1) if (stream[start + i] !== tokens[i]) continue next;
      return true;
    }
  }
  return false;
}

/** Scratch bitsets reused across queries (typed-array allocation is the slow part). */
export type Scratch = { term: Uint32Array; group: Uint32Array; result: Uint32Array };
export function createScratch(batch: PaperBatch): Scratch {
  return { term: new Uint32Array(batch.size), group: new Uint32Array(batch.size), result: new Uint32Array(batch.size) };
}

/** Sets `scratch.term` to the papers holding every token of `term` in `index`. */
function termBits(scratch: Scratch, term: StemmedTerm, index: Map<string, Uint32Array>): Uint32Array {
  const out = scratch.term;
  const first = term.tokens[0];
  const firstBits = first === undefined ? undefined : index.get(first);
  if (!firstBits) return out.fill(0);
  out.set(firstBits);
  for (let t = 1; t < term.tokens.length; t += 1) {
    const bits = index.get(term.tokens[t] ?? '');
    if (!bits) return out.fill(0);
    for (let i = 0; i < out.length; i += 1) out[i] = (out[i] ?? 0) & (bits[i] ?? 0);
  }
  return out;
}

/**
 * Papers that may match, in `scratch.result`: every group has a term whose tokens are all there,
 * every author's tokens are in the authors column, and no one-word exclusion is there (exact for
 * one-word terms; phrases are confirmed by evaluateWatch). Bits past the last paper may be set.
 */
export function candidateBits(batch: PaperBatch, query: MatchQuery, scratch: Scratch): Uint32Array {
  const result = scratch.result.fill(0xffffffff);
  for (const group of query.groups) {
    const any = scratch.group.fill(0);
    for (const term of group) {
      const bits = termBits(scratch, term, batch.anyColumn);
      for (let i = 0; i < any.length; i += 1) any[i] = (any[i] ?? 0) | (bits[i] ?? 0);
    }
    for (let i = 0; i < result.length; i += 1) result[i] = (result[i] ?? 0) & (any[i] ?? 0);
  }
  for (const author of query.authors) {
    const bits = termBits(scratch, author, batch.authorsColumn);
    for (let i = 0; i < result.length; i += 1) result[i] = (result[i] ?? 0) & (bits[i] ?? 0);
  }
  for (const term of query.exclude) {
    const bits = term.tokens.length === 1 ? batch.anyColumn.get(term.tokens[0] ?? '') : undefined;
    if (bits) for (let i = 0; i < result.length; i += 1) result[i] = (result[i] ?? 0) & ~(bits[i] ?? 0);
  }
  return result;
}

/** The SQL filters of the query (org, since, min, cat, source) on one paper. */
export function passesFilters(query: MatchQuery, paper: BatchPaper): boolean {
  if (query.since !== undefined && paper.latestFeedDate < query.since) return false;
  if (query.minUpvotes !== undefined && paper.upvotes < query.minUpvotes) return false;
  for (const org of query.orgs) if (paper.organization === null || !paper.organization.includes(org)) return false;
  for (const filter of query.categories) if (!paper.categories.some((category) => categoryMatches(filter, category))) return false;
  for (const source of query.sources) if (!(source === 'hf' ? paper.listedOnHf : paper.listedOnArxiv)) return false;
  return true;
}

/** Same truth table as `(groups AND authors) NOT (exclude)` plus the SQL filters. */
export function evaluateWatch(query: MatchQuery, paper: BatchPaper): boolean {
  if (!passesFilters(query, paper)) return false;
  for (const group of query.groups) {
    let found = false;
    for (const term of group) if ((found = hasPhrase(paper, term.tokens))) break;
    if (!found) return false;
  }
  for (const author of query.authors) if (!hasPhrase(paper, author.tokens, AUTHORS_ONLY)) return false;
  for (const term of query.exclude) if (hasPhrase(paper, term.tokens)) return false;
  return true;
}

/** The words of one hit as the paper spells them (lowercased), or null when the text split is unsure. */
export function spelledHit(paper: BatchPaper, hit: Hit): string | null {
  const words = paper.words[hit.column];
  const start = words?.starts[hit.position];
  const end = words?.ends[hit.position + hit.length - 1];
  // From the first word's start to the last word's end, as highlight() marks a phrase.
  return words && start !== undefined && end !== undefined ? words.text.slice(start, end) : null;
}
