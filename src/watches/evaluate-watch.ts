import type { Column } from '../search/tokenize-texts.ts';
import type { CompiledWatch, StemmedTerm } from './compile-watch.ts';
import type { BatchPaper, PaperBatch } from './paper-batch.ts';

// Exact evaluation of one compiled watch against the new papers: first bitsets narrow the papers
// to those holding every needed token (cheap, may over-approximate phrases), then each candidate is
// checked term by term with token positions, with FTS5's semantics (see compile-watch.ts).

const ALL_COLUMNS: readonly Column[] = ['title', 'abstract', 'authors'];
const AUTHORS_ONLY: readonly Column[] = ['authors'];

export type Hit = { column: Column; position: number; length: number };

/** Where `tokens` occur as a phrase in the paper (first occurrence in column order), or null. */
export function findPhrase(paper: BatchPaper, tokens: string[], columns: readonly Column[] = ALL_COLUMNS): Hit | null {
  const [first, ...rest] = tokens;
  if (first === undefined) return null;
  for (const column of columns) {
    const starts = paper.positions[column].get(first);
    if (!starts) continue;
    const stream = paper.tokens[column];
    for (const start of starts) {
      if (rest.every((token, i) => stream[start + 1 + i] === token)) return { column, position: start, length: tokens.length };
    }
  }
  return null;
}

/** Papers (as a bitset) that hold every token of `term`; all zero when it has none. */
function termBits(batch: PaperBatch, term: StemmedTerm, index: Map<string, Uint32Array>): Uint32Array {
  const out = new Uint32Array(batch.size);
  const [first, ...rest] = term.tokens;
  const firstBits = first === undefined ? undefined : index.get(first);
  if (!firstBits) return out;
  out.set(firstBits);
  for (const token of rest) {
    const bits = index.get(token);
    if (!bits) return out.fill(0);
    for (let i = 0; i < out.length; i += 1) out[i] = (out[i] ?? 0) & (bits[i] ?? 0);
  }
  return out;
}

/** Papers that may match: every group has a term whose tokens are all there, and every author's. */
export function candidateBits(batch: PaperBatch, watch: CompiledWatch): Uint32Array {
  const result = new Uint32Array(batch.size).fill(0xffffffff);
  const and = (bits: Uint32Array) => {
    for (let i = 0; i < result.length; i += 1) result[i] = (result[i] ?? 0) & (bits[i] ?? 0);
  };
  for (const group of watch.groups) {
    const any = new Uint32Array(batch.size);
    for (const term of group) {
      const bits = termBits(batch, term, batch.anyColumn);
      for (let i = 0; i < any.length; i += 1) any[i] = (any[i] ?? 0) | (bits[i] ?? 0);
    }
    and(any);
  }
  for (const author of watch.authors) and(termBits(batch, author, batch.authorsColumn));
  return result;
}

/**
 * Does the watch match the paper? Returns the positive terms' hits (for the matched words) or
 * null. Same truth table as `(groups AND authors) NOT (exclude)` plus the SQL filters.
 */
export function evaluateWatch(watch: CompiledWatch, paper: BatchPaper): Array<{ term: StemmedTerm; hit: Hit }> | null {
  if (watch.since !== undefined && paper.latestFeedDate < watch.since) return null;
  if (watch.minUpvotes !== undefined && paper.upvotes < watch.minUpvotes) return null;
  for (const org of watch.orgs) if (paper.organization === null || !paper.organization.includes(org)) return null;
  const hits: Array<{ term: StemmedTerm; hit: Hit }> = [];
  for (const group of watch.groups) {
    let matched = false;
    for (const term of group) {
      const hit = findPhrase(paper, term.tokens);
      if (hit) {
        hits.push({ term, hit });
        matched = true;
      }
    }
    if (!matched) return null;
  }
  for (const author of watch.authors) {
    const hit = findPhrase(paper, author.tokens, AUTHORS_ONLY);
    if (!hit) return null;
    hits.push({ term: author, hit });
  }
  for (const term of watch.exclude) if (findPhrase(paper, term.tokens)) return null;
  return hits;
}

/** The matched words as the paper spells them (lowercased), or null when the text split is unsure. */
export function spelledTerms(paper: BatchPaper, hits: Array<{ hit: Hit }>): string[] | null {
  const terms: string[] = [];
  for (const { hit } of hits) {
    const words = paper.words[hit.column];
    if (!words) return null;
    terms.push(words.slice(hit.position, hit.position + hit.length).join(' ').toLowerCase());
  }
  return [...new Set(terms)];
}

export function forEachBit(bits: Uint32Array, visit: (index: number) => void): void {
  for (let word = 0; word < bits.length; word += 1) {
    let value = bits[word] ?? 0;
    while (value !== 0) {
      const low = value & -value;
      visit(word * 32 + 31 - Math.clz32(low));
      value ^= low;
    }
  }
}
