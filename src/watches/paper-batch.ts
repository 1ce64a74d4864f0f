import { readCategories } from '../papers/arxiv-paper.ts';
import { asciiLower } from '../search/ascii-lower.ts';
import type { Store, TokenColumn as Column, TokenizedRow } from '../store/store.ts';
import { createBitset, setBit, type Bitset } from './bitset.ts';

// The new papers of one ingest run, tokenised exactly as papers_fts indexed them (same text, same
// tokenizer), with per-token bitsets over the batch so the papers holding a term are a few
// word-wide ANDs instead of a loop over every paper.

export type BatchPaper = {
  id: number;
  /** Bit position in the batch bitsets. */
  index: number;
  /** ASCII-lowercased, as SQLite's lower() would give it. */
  organization: string | null;
  latestFeedDate: string;
  upvotes: number;
  /** arXiv categories, primary first. */
  categories: string[];
  listedOnHf: boolean;
  listedOnArxiv: boolean;
  tokens: TokenizedRow;
  /** Positions of each token, per column. */
  positions: Record<Column, Map<string, number[]>>;
  /**
   * The column text lowercased, and where each token's word starts and ends in it, when a split of
   * the text lines up with FTS5's tokens (for showing matched words as spelled, like highlight()).
   */
  words: Record<Column, { text: string; starts: number[]; ends: number[] } | null>;
};

export type PaperBatch = {
  papers: BatchPaper[];
  /** Bitset length in 32-bit words. */
  size: number;
  /** Every paper of the batch (no bits past the last one). */
  all: Bitset;
  /** token → papers containing it in any column. */
  anyColumn: Map<string, Uint32Array>;
  /** token → papers containing it in the authors column. */
  authorsColumn: Map<string, Uint32Array>;
};

// unicode61 keeps letters, numbers, private use and non-spacing marks (Mn, which it then strips as
// diacritics) together; everything else, spacing marks (Mc, Me) included, separates tokens. Only
// used to show words as spelled; when the counts differ (a lone accent), highlight() decides.
const WORD = /[\p{L}\p{N}\p{Co}\p{Mn}]+/gu;
const COLUMNS: readonly Column[] = ['title', 'abstract', 'authors'];

function addPosting(map: Map<string, Bitset>, token: string, index: number, count: number): void {
  let bits = map.get(token);
  if (!bits) {
    bits = createBitset(count);
    map.set(token, bits);
  }
  setBit(bits, index);
}

/** The papers of `paperIds` (in that order, unknown ids left out): one read and one tokenize pass. */
export async function loadPaperBatch(store: Store, paperIds: number[]): Promise<PaperBatch> {
  // In the caller's order: bit order is then output order.
  const rows = await store.getPapersByIds([...new Set(paperIds)]);
  const tokenized = await store.tokenize(rows.map((row) => ({ title: row.title, abstract: row.abstract, authors: row.authors })));
  const size = createBitset(rows.length).length;
  const all = createBitset(rows.length);
  for (let i = 0; i < rows.length; i += 1) setBit(all, i);
  const batch: PaperBatch = { papers: [], size, all, anyColumn: new Map(), authorsColumn: new Map() };
  rows.forEach((row, index) => {
    const tokens = tokenized[index] ?? { title: [], abstract: [], authors: [] };
    const positions = { title: new Map<string, number[]>(), abstract: new Map<string, number[]>(), authors: new Map<string, number[]>() };
    const words: BatchPaper['words'] = { title: null, abstract: null, authors: null };
    const text: Record<Column, string> = { title: row.title, abstract: row.abstract, authors: row.authors };
    for (const column of COLUMNS) {
      tokens[column].forEach((token, position) => {
        const list = positions[column].get(token);
        if (list) list.push(position);
        else positions[column].set(token, [position]);
        addPosting(batch.anyColumn, token, index, rows.length);
        if (column === 'authors') addPosting(batch.authorsColumn, token, index, rows.length);
      });
      const lower = text[column].toLowerCase();
      const starts: number[] = [];
      const ends: number[] = [];
      for (const word of lower.matchAll(WORD)) {
        starts.push(word.index);
        ends.push(word.index + word[0].length);
      }
      words[column] = starts.length === tokens[column].length ? { text: lower, starts, ends } : null;
    }
    batch.papers.push({
      id: row.id,
      index,
      organization: row.organization === null ? null : asciiLower(row.organization),
      latestFeedDate: row.latestFeedDate,
      upvotes: row.upvotes,
      categories: readCategories(row.categories),
      listedOnHf: row.listedOnHf,
      listedOnArxiv: row.listedOnArxiv,
      tokens,
      positions,
      words,
    });
  });
  return batch;
}
