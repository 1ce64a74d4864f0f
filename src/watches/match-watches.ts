import { parseQuery } from '../search/parse-query.ts';
import { userKey } from '../store/alerted-by-user.ts';
import type { Store } from '../store/store.ts';
import { andInto, countBits, createBitset, hasBit, lowestIndex, orInto, setBit, withoutLowest, type Bitset } from './bitset.ts';
import type { MatchQuery, Term } from './compile-watch.ts';
import { createEvaluator, type BatchEvaluator } from './evaluate-watch.ts';
import { loadPaperBatch, type BatchPaper, type PaperBatch } from './paper-batch.ts';
import { getWatchIndex, type WatchIndex } from './watch-index.ts';

// Which users get which of the new papers. Percolator-style: the papers are tokenised once; each
// distinct watch query (kept compiled in the watch index) is evaluated once over bitsets of the
// papers holding each of its terms, with FTS5's semantics (test/watches proves it agrees with
// searchPapers). Then each user's matches are the union of their watches' papers minus those they
// have; only the matches a DM shows are credited to a watch (the user's first matching one, in
// list order) and spelled; the others are paper ids. A (watch text, paper) match is one object,
// spelled once, whichever users share that watch text.

type WatchMatch = { paperId: number; watchQuery: string; terms: string[] };
/**
 * `paperIds`: every new match of the user; `matches`: the first of them (at most `shown`), with
 * watch and words; `watchesMatched`: how many of the user's watches matched a new paper (one: the DM
 * names it, however many papers it shows). Arrays and matches may be shared between users: read-only.
 */
export type UserMatches = { platform: string; userId: string; paperIds: number[]; matches: WatchMatch[]; watchesMatched: number };

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

/**
 * The papers each distinct query matches: query q's are words [q * size, (q + 1) * size) of `bits`
 * when `matched[q]`. Only the queries anchored on a token of the batch (and those with no anchor)
 * are evaluated: a one-paper batch touches a few hundred of them, not every query.
 */
function evaluateQueries(batch: PaperBatch, index: WatchIndex, evaluator: BatchEvaluator): { bits: Uint32Array; matched: Uint8Array } {
  const { size } = batch;
  const bits = new Uint32Array(index.queries.length * size);
  const matched = new Uint8Array(index.queries.length);
  const candidate = new Uint8Array(index.queries.length);
  for (const q of index.unanchored) candidate[q] = 1;
  for (const token of batch.tokenNumber.keys()) for (const q of index.byToken.get(token) ?? NO_QUERIES) candidate[q] = 1;
  const out = new Uint32Array(size);
  for (let q = 0; q < candidate.length; q += 1) {
    if (candidate[q] !== 1 || !evaluator.evaluate(index.queries[q] as MatchQuery, out)) continue;
    matched[q] = 1;
    bits.set(out, q * size);
  }
  return { bits, matched };
}

const NO_QUERIES: number[] = [];

/**
 * The matched words of a (query, paper) pair as the paper spells them; one-term queries (the
 * common case) share their term's array. When a word split is unsure, FTS5's highlight() on the
 * stored paper says it exactly: those pairs wait for `finish`, one store read per (paper, query).
 */
function createSpeller(evaluator: BatchEvaluator) {
  const unsure = new Map<string, { paperId: number; text: string; matches: WatchMatch[] }>();
  // Word lists of several words, one array per distinct list: most matches of multi-term queries
  // repeat a few lists (`diffusion, model`), and each array a match keeps outlives the young generation.
  const lists = new Map<string, string[]>();
  // Scratch for a list's words, reused (emptying an array by `length = 0` drops its storage).
  const words: string[] = [];
  const termsOf = (query: MatchQuery, paper: BatchPaper): string[] | null => {
    const { positive } = query;
    if (positive.length === 1) return evaluator.spell(positive[0] as Term, paper);
    let count = 0;
    let key = '';
    // The spelled array of the list's first word (shared per word): the list when it is the only one.
    let first: string[] = NO_TERMS;
    next: for (let i = 0; i < positive.length; i += 1) {
      const term = positive[i] as Term;
      // A term of an OR group may not be in this paper: the batch's bitsets say so without a lookup.
      if (!hasBit(evaluator.termBits(term), paper.index)) continue;
      const spelled = evaluator.spell(term, paper);
      if (spelled === null) return null;
      const word = spelled[0];
      if (word === undefined) continue;
      for (let w = 0; w < count; w += 1) if (words[w] === word) continue next;
      if (count === 0) first = spelled;
      key = count === 0 ? word : `${key}\u0000${word}`;
      words[count] = word;
      count += 1;
    }
    if (count <= 1) return first;
    let list = lists.get(key);
    if (!list) {
      list = words.slice(0, count);
      lists.set(key, list);
    }
    return list;
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

/**
 * The (watch text, paper) pairs that users' DMs show, in the order users were visited, to be made
 * into match objects text by text (see `resolve`): a text's papers are spelled together, while its
 * query's terms are at hand, instead of in the scattered order users need them.
 */
function createShownPairs() {
  let texts = new Int32Array(1 << 14);
  let papers = new Int32Array(1 << 14);
  let length = 0;
  return {
    get length() {
      return length;
    },
    add(text: number, paper: number): void {
      if (length === texts.length) {
        const grownTexts = new Int32Array(length * 2);
        grownTexts.set(texts);
        texts = grownTexts;
        const grownPapers = new Int32Array(length * 2);
        grownPapers.set(papers);
        papers = grownPapers;
      }
      texts[length] = text;
      papers[length] = paper;
      length += 1;
    },
    /** Every pair's match, one object per distinct (text, paper), made and spelled text by text. */
    resolve(index: WatchIndex, batch: PaperBatch, speller: Speller): WatchMatch[] {
      // Counting sort of the pairs by text.
      const starts = new Int32Array(index.texts.length + 1);
      for (let k = 0; k < length; k += 1) {
        const slot = (texts[k] ?? 0) + 1;
        starts[slot] = (starts[slot] ?? 0) + 1;
      }
      for (let t = 0; t < index.texts.length; t += 1) starts[t + 1] = (starts[t + 1] ?? 0) + (starts[t] ?? 0);
      const next = starts.slice(0, index.texts.length);
      const order = new Int32Array(length);
      for (let k = 0; k < length; k += 1) {
        const t = texts[k] ?? 0;
        order[next[t] ?? 0] = k;
        next[t] = (next[t] ?? 0) + 1;
      }
      const matches = new Array<WatchMatch>(length);
      // Per paper, the match made for the text being resolved (stamped with that text).
      const madeFor = new Int32Array(batch.papers.length).fill(-1);
      const made = new Array<WatchMatch>(batch.papers.length);
      for (let t = 0; t < index.texts.length; t += 1) {
        const end = starts[t + 1] ?? 0;
        let at = starts[t] ?? 0;
        if (at === end) continue;
        const query = index.queries[index.textQueries[t] ?? 0] as MatchQuery;
        const text = index.texts[t] ?? '';
        for (; at < end; at += 1) {
          const k = order[at] ?? 0;
          const p = papers[k] ?? 0;
          let match = madeFor[p] === t ? made[p] : undefined;
          if (!match) {
            const paper = batch.papers[p] as BatchPaper;
            match = { paperId: paper.id, watchQuery: text, terms: NO_TERMS };
            speller.spell(match, query, paper);
            madeFor[p] = t;
            made[p] = match;
          }
          matches[k] = match;
        }
      }
      return matches;
    },
  };
}

type Speller = ReturnType<typeof createSpeller>;

/** Each distinct query's paper ids (what a user with one matching watch gets), listed once. */
function createPaperIds(batch: PaperBatch, bits: Uint32Array) {
  const { size } = batch;
  const ids: Array<number[] | undefined> = [];
  return (q: number): number[] => {
    let list = ids[q];
    if (!list) {
      list = [];
      for (let i = 0, at = q * size; i < size; i += 1, at += 1) {
        for (let left = bits[at] ?? 0; left !== 0; left = withoutLowest(left)) list.push(batch.papers[lowestIndex(left, i)]?.id ?? 0);
      }
      ids[q] = list;
    }
    return list;
  };
}

/**
 * For each user, the new papers matching any of their watches, each paper once (credited to the
 * user's first matching watch in list order, with the words it matched), never a paper already in
 * alerted_papers for that user. Users are ordered by platform and id, papers as in `newPaperIds`.
 * Only the first `shown` papers of a user (what one DM shows) come with their watch and words;
 * `paperIds` lists them all. Arrays and match objects are shared between users: treat them as
 * read-only.
 */
export async function matchWatches(store: Store, newPaperIds: number[], options: { shown?: number } = {}): Promise<UserMatches[]> {
  if (newPaperIds.length === 0) return [];
  const shown = options.shown ?? Number.POSITIVE_INFINITY;
  const index = await getWatchIndex(store);
  if (index.queries.length === 0) return [];
  const batch = await loadPaperBatch(store, newPaperIds);
  if (batch.papers.length === 0) return [];
  const evaluator = createEvaluator(batch, index.idBound);
  const { bits, matched } = evaluateQueries(batch, index, evaluator);
  if (!matched.includes(1)) return [];
  const alerted = await alreadyAlerted(store, batch);
  const paperIdsOf = createPaperIds(batch, bits);
  const pairs = createShownPairs();
  const { size } = batch;
  const { watchQueries, watchTexts } = index;
  const result: UserMatches[] = [];
  // Per user in `result`: where their shown pairs start in `pairs`.
  const pairStarts: number[] = [];
  const fresh = new Uint32Array(size);
  for (const user of index.users) {
    // The user's watches that match any new paper: the first (and how many).
    let first = -1;
    let matching = 0;
    for (let w = user.start; w < user.end; w += 1) {
      if (matched[watchQueries[w] ?? 0] !== 1) continue;
      if (first < 0) first = w;
      matching += 1;
    }
    if (matching === 0) continue;
    const before = alerted.size > 0 ? alerted.get(userKey(user.platform, user.userId)) : undefined;
    // The union of the user's watches' papers, less those alerted to them before.
    fresh.fill(0);
    for (let w = first; w < user.end; w += 1) {
      const q = watchQueries[w] ?? 0;
      if (matched[q] !== 1) continue;
      orInto(fresh, bits, q * size);
    }
    if (before) andInto(fresh, before, true);
    const count = countBits(fresh);
    if (count === 0) continue;
    pairStarts.push(pairs.length);
    let paperIds: number[];
    if (matching === 1 && !before) {
      // One matching watch and nothing alerted before: the paper ids every user of that query gets, and its first papers.
      paperIds = paperIdsOf(watchQueries[first] ?? 0);
      const t = watchTexts[first] ?? 0;
      for (let i = 0, n = 0; i < size && n < shown; i += 1) {
        for (let left = fresh[i] ?? 0; left !== 0 && n < shown; left = withoutLowest(left), n += 1) pairs.add(t, lowestIndex(left, i));
      }
    } else {
      paperIds = collect(fresh, count, user, first, index, bits, matched, batch, pairs, shown);
    }
    result.push({ platform: user.platform, userId: user.userId, paperIds, matches: NO_MATCHES, watchesMatched: matching });
  }
  const speller = createSpeller(evaluator);
  const matches = pairs.resolve(index, batch, speller);
  result.forEach((user, u) => {
    user.matches = matches.slice(pairStarts[u] ?? 0, pairStarts[u + 1] ?? pairs.length);
  });
  await speller.finish(store);
  return result.sort((a, b) => (a.platform === b.platform ? compare(a.userId, b.userId) : compare(a.platform, b.platform)));
}

type ShownPairs = ReturnType<typeof createShownPairs>;

/**
 * The user's `count` new paper ids in batch order; the first `shown` credited to the user's first
 * watch (in list order, from watch `first`) that matches the paper, as pairs.
 */
function collect(
  fresh: Bitset,
  count: number,
  user: WatchIndex['users'][number],
  first: number,
  index: WatchIndex,
  bits: Uint32Array,
  matched: Uint8Array,
  batch: PaperBatch,
  pairs: ShownPairs,
  shown: number,
): number[] {
  const paperIds = new Array<number>(count);
  const { size } = batch;
  const { watchQueries, watchTexts } = index;
  let n = 0;
  for (let i = 0; i < size; i += 1) {
    for (let left = fresh[i] ?? 0; left !== 0; left = withoutLowest(left)) {
      const bit = lowestIndex(left, i);
      paperIds[n] = (batch.papers[bit] as BatchPaper).id;
      n += 1;
      if (n > shown) continue;
      for (let w = first; w < user.end; w += 1) {
        const q = watchQueries[w] ?? 0;
        // Query q's set starts at word q * size of `bits`: its bit `bit` is bit q * size * 32 + bit.
        if (matched[q] !== 1 || !hasBit(bits, q * size * 32 + bit)) continue;
        pairs.add(watchTexts[w] ?? 0, bit);
        break;
      }
    }
  }
  return paperIds;
}

const NO_MATCHES: WatchMatch[] = [];
// Until spelled (shared, as every `terms` array is: an empty literal per match was 16 MB of garbage).
const NO_TERMS: string[] = [];

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
