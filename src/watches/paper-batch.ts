import { readCategories } from '../papers/arxiv-paper.ts';
import { asciiLower } from '../search/ascii-lower.ts';
import type { Store, TokenColumn as Column } from '../store/store.ts';
import { createBitset, setBit, type Bitset } from './bitset.ts';

// The new papers of one ingest run, tokenised exactly as papers_fts indexed them (same text, same
// tokenizer). Tokens are numbered per batch, so each column is a stream of small integers (a
// phrase is found by comparing numbers) and the papers holding a token are one bitset over the
// batch: the papers holding a term are then a few word-wide ANDs instead of a loop over every paper.

/** Where a column's words start and end in its lowercased text (see BatchPaper.words). */
type WordSpans = { text: string; starts: number[]; ends: number[] };

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
  /** Each column's tokens as batch token numbers (PaperBatch.tokenNumber), in order. */
  streams: Record<Column, Int32Array>;
  /**
   * The column text lowercased, and where each token's word starts and ends in it, when a split of
   * the text lines up with FTS5's tokens (for showing matched words as spelled, like highlight());
   * null when it does not. Worked out on first use: only the papers a DM shows need it.
   */
  words(column: Column): WordSpans | null;
};

export type PaperBatch = {
  papers: BatchPaper[];
  /** Bitset length in 32-bit words. */
  size: number;
  /** Every paper of the batch (no bits past the last one). */
  all: Bitset;
  /** The batch's number for a token (undefined: no paper of the batch has it). */
  tokenNumber: Map<string, number>;
  /** By token number: the papers holding it in any column. */
  anyColumn: Bitset[];
  /** By token number: the papers holding it in the authors column (undefined: none). */
  authorsColumn: Array<Bitset | undefined>;
};

// unicode61 keeps letters, numbers, private use and non-spacing marks (Mn, which it then strips as
// diacritics) together; everything else, spacing marks (Mc, Me) included, separates tokens. Only
// used to show words as spelled; when the counts differ (a lone accent), highlight() decides.
const WORD = /[\p{L}\p{N}\p{Co}\p{Mn}]+/gu;

function wordSpans(text: string, tokenCount: number): WordSpans | null {
  const lower = text.toLowerCase();
  const starts: number[] = [];
  const ends: number[] = [];
  if (!asciiWordSpans(lower, starts, ends)) {
    starts.length = 0;
    ends.length = 0;
    for (const word of lower.matchAll(WORD)) {
      starts.push(word.index);
      ends.push(word.index + word[0].length);
    }
  }
  return starts.length === tokenCount ? { text: lower, starts, ends } : null;
}

/**
 * WORD's spans of a lowercased text by a scan of char codes (letters and digits), without a match
 * object per word; false, leaving the spans partial, at the first character past ASCII.
 */
function asciiWordSpans(lower: string, starts: number[], ends: number[]): boolean {
  let start = -1;
  for (let i = 0; i < lower.length; i += 1) {
    const code = lower.charCodeAt(i);
    if (code >= 128) return false;
    const inWord = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (inWord && start < 0) start = i;
    else if (!inWord && start >= 0) {
      starts.push(start);
      ends.push(i);
      start = -1;
    }
  }
  if (start >= 0) {
    starts.push(start);
    ends.push(lower.length);
  }
  return true;
}

/** The papers of `paperIds` (in that order, unknown ids left out): one read and one tokenize pass. */
export async function loadPaperBatch(store: Store, paperIds: number[]): Promise<PaperBatch> {
  // In the caller's order: bit order is then output order.
  const rows = await store.getPapersByIds([...new Set(paperIds)]);
  const tokenized = await store.tokenize(rows.map((row) => ({ title: row.title, abstract: row.abstract, authors: row.authors })));
  const count = rows.length;
  const size = createBitset(count).length;
  const all = createBitset(count);
  for (let i = 0; i < count; i += 1) setBit(all, i);
  const tokenNumber = new Map<string, number>();
  const anyColumn: Bitset[] = [];
  const authorsColumn: Array<Bitset | undefined> = [];
  const papers: BatchPaper[] = [];
  for (let index = 0; index < count; index += 1) {
    const row = rows[index];
    if (!row) continue;
    const tokens = tokenized[index] ?? { title: [], abstract: [], authors: [] };
    const streamOf = (column: Column): Int32Array => {
      const list = tokens[column];
      const stream = new Int32Array(list.length);
      for (let position = 0; position < list.length; position += 1) {
        const token = list[position] ?? '';
        let n = tokenNumber.get(token);
        if (n === undefined) {
          n = anyColumn.push(new Uint32Array(size)) - 1;
          tokenNumber.set(token, n);
        }
        stream[position] = n;
        setBit(anyColumn[n] as Bitset, index);
        if (column === 'authors') setBit((authorsColumn[n] ??= new Uint32Array(size)), index);
      }
      return stream;
    };
    const streams = { title: streamOf('title'), abstract: streamOf('abstract'), authors: streamOf('authors') };
    const spans: Partial<Record<Column, WordSpans | null>> = {};
    papers.push({
      id: row.id,
      index,
      organization: row.organization === null ? null : asciiLower(row.organization),
      latestFeedDate: row.latestFeedDate,
      upvotes: row.upvotes,
      categories: readCategories(row.categories),
      listedOnHf: row.listedOnHf,
      listedOnArxiv: row.listedOnArxiv,
      streams,
      words(column) {
        let known = spans[column];
        if (known === undefined) {
          known = wordSpans(row[column], streams[column].length);
          spans[column] = known;
        }
        return known;
      },
    });
  }
  return { papers, size, all, tokenNumber, anyColumn, authorsColumn };
}
