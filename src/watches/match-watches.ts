import { parseQuery } from '../search/parse-query.ts';
import { userKey } from '../store/alerted-by-user.ts';
import type { Store } from '../store/store.ts';
import { bitCount, createBitset, hasBit, lowestIndex, setBit, withoutLowest, type Bitset } from './bitset.ts';
import type { MatchQuery, Term } from './compile-watch.ts';
import { createEvaluator, findPhrase, spelledHit, termColumns, type BatchEvaluator } from './evaluate-watch.ts';
import { loadPaperBatch, type BatchPaper, type PaperBatch } from './paper-batch.ts';
import { getWatchIndex, type WatchIndex } from './watch-index.ts';

// Which users get which of the new papers. Percolator-style: the papers are tokenised once; each
// distinct watch query (kept compiled in the watch index) is evaluated once over bitsets of the
// papers holding each of its terms, with FTS5's semantics (test/watches proves it agrees with
// searchPapers). Then each user's matches are the union of their watches' papers minus those they
// have; only the matches a DM shows are credited to a watch (the user's first matching one, in
// list order) and spelled (once per (paper, term)); the others are paper ids.

type WatchMatch = { paperId: number; watchId: number; watchQuery: string; terms: string[] };
/** `paperIds`: every new match of the user; `matches`: the first of them (at most `shown`), with watch and words. */
export type UserMatches = { platform: string; userId: string; paperIds: number[]; matches: WatchMatch[] };

/** Per user, the papers of this batch already alerted to them, as a bitset over the batch. */
async function alreadyAlerted(store: Store, batch: PaperBatch): Promise<Map<string, Bitset>> {
  const bitOf = new Map(batch.papers.map((paper) => [paper.id, paper.index]));
  const done = new Map<string, Bitset>();
  for (const row of await store.alertedAmong([...bitOf.keys()])) {
    const bit = bitOf.get(row.paperId);
    if (bit === undefined) continue;
    const key = userKey(row.platform, row.userId);
    const bits = done.get(key) ?? createBitset(batch.papers.length);
    setBit(bits, bit);
    done.set(key, bits);
  }
  return done;
}

/** The papers each distinct query matches: query q's are words [q * size, (q + 1) * size) of `bits` when `matched[q]`. */
function evaluateQueries(batch: PaperBatch, index: WatchIndex, evaluator: BatchEvaluator): { bits: Uint32Array; matched: Uint8Array } {
  const { size } = batch;
  const bits = new Uint32Array(index.queries.length * size);
  const matched = new Uint8Array(index.queries.length);
  const out = new Uint32Array(size);
  index.queries.forEach((query, q) => {
    if (!evaluator.evaluate(query, out)) return;
    matched[q] = 1;
    bits.set(out, q * size);
  });
  return { bits, matched };
}

/**
 * The matched words of a (query, paper) pair as the paper spells them. Each (paper, term) is
 * looked up once, and one-term queries (the common case) share that array. When a word split is
 * unsure, FTS5's highlight() on the stored paper says it exactly: those pairs wait for `finish`,
 * one store read per (paper, query).
 */
function createSpeller(batch: PaperBatch, evaluator: BatchEvaluator) {
  // (term, paper) → its words ([] = not in this paper; null = in it, but the split is unsure).
  const words = new Map<number, string[] | null>();
  const count = batch.papers.length;
  const unsure = new Map<string, { paperId: number; text: string; matches: WatchMatch[] }>();
  const spell = (paper: BatchPaper, term: Term): string[] | null => {
    const key = term.id * count + paper.index;
    const cached = words.get(key);
    if (cached !== undefined) return cached;
    const hit = findPhrase(paper, term.tokens, termColumns(term));
    const spelled = hit ? spelledHit(paper, hit) : undefined;
    const list = spelled === undefined ? [] : spelled === null ? null : [spelled];
    words.set(key, list);
    return list;
  };
  const termsOf = (query: MatchQuery, paper: BatchPaper): string[] | null => {
    const only = query.positive.length === 1 ? query.positive[0] : undefined;
    if (only) return spell(paper, only);
    const terms: string[] = [];
    for (const term of query.positive) {
      // A term of an OR group may not be in this paper: the batch's bitsets say so without a lookup.
      if (!hasBit(evaluator.termBits(term), paper.index)) continue;
      const spelled = spell(paper, term);
      if (spelled === null) return null;
      const word = spelled[0];
      if (word !== undefined && !terms.includes(word)) terms.push(word);
    }
    return terms;
  };
  return {
    /** Sets `match.terms`, or leaves it to `finish` when only the stored paper can tell. */
    spell(match: WatchMatch, query: MatchQuery, paper: BatchPaper): void {
      const terms = termsOf(query, paper);
      if (terms !== null) {
        match.terms = terms;
        return;
      }
      const key = `${paper.index}:${query.signature}`;
      const waiting = unsure.get(key);
      if (waiting) waiting.matches.push(match);
      else unsure.set(key, { paperId: paper.id, text: query.text, matches: [match] });
    },
    async finish(store: Store): Promise<void> {
      for (const { paperId, text, matches } of unsure.values()) {
        const terms = await store.matchedTerms(paperId, parseQuery(text));
        for (const match of matches) match.terms = terms;
      }
    },
  };
}

type Speller = ReturnType<typeof createSpeller>;

/**
 * For each user, the new papers matching any of their watches, each paper once (credited to the
 * user's first matching watch in list order, with the words it matched), never a paper already in
 * alerted_papers for that user. Users are ordered by platform and id, papers as in `newPaperIds`.
 * Only the first `shown` papers of a user (what one DM shows) become WatchMatch objects with their
 * words; `paperIds` lists them all. The `terms` arrays are shared between matches: treat them as
 * read-only.
 */
export async function matchWatches(store: Store, newPaperIds: number[], options: { shown?: number } = {}): Promise<UserMatches[]> {
  if (newPaperIds.length === 0) return [];
  const shown = options.shown ?? Number.POSITIVE_INFINITY;
  const index = await getWatchIndex(store);
  if (index.watches.length === 0) return [];
  const batch = await loadPaperBatch(store, newPaperIds);
  if (batch.papers.length === 0) return [];
  const evaluator = createEvaluator(batch, index.idBound);
  const { bits, matched } = evaluateQueries(batch, index, evaluator);
  if (!matched.includes(1)) return [];
  const alerted = await alreadyAlerted(store, batch);
  const speller = createSpeller(batch, evaluator);
  const { size } = batch;
  const result: UserMatches[] = [];
  const fresh = new Uint32Array(size);
  for (const user of index.users) {
    // The union of the user's watches' papers, less those alerted to them before.
    fresh.fill(0);
    let any = false;
    for (let w = user.start; w < user.end; w += 1) {
      const q = index.watchOrdinals[w] ?? 0;
      if (matched[q] !== 1) continue;
      any = true;
      for (let i = 0, at = q * size; i < size; i += 1, at += 1) fresh[i] = (fresh[i] ?? 0) | (bits[at] ?? 0);
    }
    if (!any) continue;
    const before = alerted.size > 0 ? alerted.get(userKey(user.platform, user.userId)) : undefined;
    let count = 0;
    for (let i = 0; i < size; i += 1) {
      if (before) fresh[i] = (fresh[i] ?? 0) & ~(before[i] ?? 0);
      count += bitCount(fresh[i] ?? 0);
    }
    if (count > 0) result.push({ platform: user.platform, userId: user.userId, ...collect(fresh, count, user, index, bits, matched, batch, speller, shown) });
  }
  await speller.finish(store);
  return result.sort((a, b) => (a.platform === b.platform ? compare(a.userId, b.userId) : compare(a.platform, b.platform)));
}

/**
 * The user's `count` new matches in batch order; the first `shown` credited to the user's first
 * watch (in list order) that matches the paper, with its words.
 */
function collect(
  fresh: Bitset,
  count: number,
  user: WatchIndex['users'][number],
  index: WatchIndex,
  bits: Uint32Array,
  matched: Uint8Array,
  batch: PaperBatch,
  speller: Speller,
  shown: number,
): { paperIds: number[]; matches: WatchMatch[] } {
  const paperIds = new Array<number>(count);
  const matches: WatchMatch[] = [];
  const { size } = batch;
  let n = 0;
  for (let i = 0; i < size; i += 1) {
    for (let left = fresh[i] ?? 0; left !== 0; left = withoutLowest(left)) {
      const bit = lowestIndex(left, i);
      const paper = batch.papers[bit];
      if (!paper) continue;
      paperIds[n] = paper.id;
      n += 1;
      if (matches.length >= shown) continue;
      const mask = 1 << (bit & 31);
      const word = bit >>> 5;
      for (let w = user.start; w < user.end; w += 1) {
        const q = index.watchOrdinals[w] ?? 0;
        const watch = index.watches[w];
        const query = index.queries[q];
        if (matched[q] !== 1 || !watch || !query || ((bits[q * size + word] ?? 0) & mask) === 0) continue;
        const match: WatchMatch = { paperId: paper.id, watchId: watch.id, watchQuery: watch.query, terms: NO_TERMS };
        speller.spell(match, query, paper);
        matches.push(match);
        break;
      }
    }
  }
  return { paperIds, matches };
}

// Until spelled (shared, as every `terms` array is: an empty literal per match was 16 MB of garbage).
const NO_TERMS: string[] = [];

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
