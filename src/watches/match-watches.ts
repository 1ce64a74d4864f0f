import { parseQuery } from '../search/parse-query.ts';
import { userKey } from '../store/alerted-by-user.ts';
import type { Store } from '../store/store.ts';
import { createBitset, lowestIndex, setBit, withoutLowest, type Bitset } from './bitset.ts';
import type { CompiledWatch, MatchQuery, PositiveTerm } from './compile-watch.ts';
import { candidateBits, createScratch, evaluateWatch, findPhrase, passesFilters, spelledHit } from './evaluate-watch.ts';
import { loadPaperBatch, type BatchPaper, type PaperBatch } from './paper-batch.ts';
import { getWatchIndex } from './watch-index.ts';

// Which users get which of the new papers. Percolator-style: the papers are tokenised once; the
// cached index wakes only the distinct watch queries whose anchor token occurs in the batch; each
// woken query is evaluated once (bitsets narrow it to papers holding its tokens, an exact check
// with FTS5's semantics confirms phrases, authors and filters; test/watches proves it agrees with
// searchPapers). Then each user's watches, in list order, take the matching papers they do not
// have yet. Only the matches a DM shows become objects with their matched words (spelled once per
// (paper, term)); the others are paper ids.

export type WatchMatch = { paperId: number; watchId: number; watchQuery: string; terms: string[] };
/** `paperIds`: every new match of the user; `matches`: the first of them (at most `shown`), with watch and words. */
export type UserMatches = { platform: string; userId: string; paperIds: number[]; matches: WatchMatch[] };

const AUTHORS = ['authors'] as const;

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

/** The papers each woken query matches (by query ordinal), evaluated once per distinct query. */
function evaluateQueries(batch: PaperBatch, woken: Iterable<MatchQuery>, ordinal: Map<MatchQuery, number>): Array<Uint32Array | undefined> {
  const matching: Array<Uint32Array | undefined> = [];
  const scratch = createScratch(batch);
  for (const query of woken) {
    const bits = candidateBits(batch, query, scratch);
    let any = false;
    for (let i = 0; i < bits.length; i += 1) {
      for (let left = bits[i] ?? 0; left !== 0; left = withoutLowest(left)) {
        const paper = batch.papers[lowestIndex(left, i)];
        if (paper && (query.exact ? passesFilters(query, paper) : evaluateWatch(query, paper))) any = true;
        else bits[i] = (bits[i] ?? 0) & ~(left & -left);
      }
    }
    const at = ordinal.get(query);
    if (any && at !== undefined) matching[at] = bits.slice();
  }
  return matching;
}

/**
 * The matched words of a (query, paper) pair as the paper spells them. Each (paper, term) is
 * looked up once and each (paper, set of positive terms) assembled once; the arrays are shared.
 * When a word split is unsure, FTS5's highlight() on the stored paper says it exactly: those
 * pairs wait for `finish`, one store read per (paper, set of positive terms).
 */
function createSpeller(batch: PaperBatch) {
  // Per paper: term id → its words ([] = not in this paper; null = in it, but the split is unsure),
  // and positive-set id → the assembled list (null = unsure). Small per-paper maps with integer keys stay fast.
  const words = batch.papers.map(() => new Map<number, string[] | null>());
  const lists = batch.papers.map(() => new Map<number, string[] | null>());
  const unsure = new Map<string, { paperId: number; text: string; matches: WatchMatch[] }>();
  const spell = (paper: BatchPaper, term: PositiveTerm): string[] | null => {
    const cache = words[paper.index];
    const cached = cache?.get(term.id);
    if (cached !== undefined) return cached;
    const hit = findPhrase(paper, term.tokens, term.authorsOnly ? AUTHORS : undefined);
    const spelled = hit ? spelledHit(paper, hit) : undefined;
    const list = spelled === undefined ? [] : spelled === null ? null : [spelled];
    cache?.set(term.id, list);
    return list;
  };
  const assemble = (query: MatchQuery, paper: BatchPaper): string[] | null => {
    const terms: string[] = [];
    for (const term of query.positive) {
      const spelled = spell(paper, term);
      if (spelled === null) return null;
      const word = spelled[0];
      if (word !== undefined && !terms.includes(word)) terms.push(word);
    }
    return terms;
  };
  const termsOf = (query: MatchQuery, paper: BatchPaper): string[] | null => {
    const only = query.positive.length === 1 ? query.positive[0] : undefined;
    // One-term queries (the common case) share the term's own array.
    if (only) return spell(paper, only);
    const cache = lists[paper.index];
    const cached = cache?.get(query.positiveId);
    if (cached !== undefined) return cached;
    const terms = assemble(query, paper);
    cache?.set(query.positiveId, terms);
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
      const key = `${paper.index}:${query.positiveId}`;
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
  // Woken queries: an anchor token in some new paper, or nothing to anchor on.
  const woken = new Set<MatchQuery>(index.unanchored);
  for (const token of batch.anyColumn.keys()) for (const query of index.byAnchor.get(token) ?? []) woken.add(query);
  const matching = evaluateQueries(batch, woken, index.ordinal);
  if (matching.length === 0) return [];
  const alerted = await alreadyAlerted(store, batch);
  const speller = createSpeller(batch);
  const result: UserMatches[] = [];
  // Scratch for the user at hand: which papers they have, and which watch took each new one.
  const taken = createBitset(batch.papers.length);
  const owner: Array<CompiledWatch | undefined> = new Array<CompiledWatch | undefined>(taken.length * 32);
  for (const user of index.users) {
    // Papers this user already has: alerted before, or taken by an earlier watch of theirs.
    const before = alerted.size > 0 ? alerted.get(userKey(user.platform, user.userId)) : undefined;
    if (before) taken.set(before);
    else taken.fill(0);
    let any = false;
    // The user's watches in list order: the first to match a paper takes it.
    for (let w = user.start; w < user.end; w += 1) {
      const bits = matching[index.watchOrdinals[w] ?? -1];
      const watch = index.watches[w];
      if (!bits || !watch) continue;
      for (let i = 0; i < bits.length; i += 1) {
        const fresh = (bits[i] ?? 0) & ~(taken[i] ?? 0);
        if (fresh === 0) continue;
        any = true;
        taken[i] = (taken[i] ?? 0) | fresh;
        for (let left = fresh; left !== 0; left = withoutLowest(left)) owner[lowestIndex(left, i)] = watch;
      }
    }
    if (any) result.push({ platform: user.platform, userId: user.userId, ...collect(owner, taken, before, batch, speller, shown) });
  }
  await speller.finish(store);
  return result.sort((a, b) => (a.platform === b.platform ? compare(a.userId, b.userId) : compare(a.platform, b.platform)));
}

/** The user's new matches in batch order (bits in `taken` but not `before`), clearing `owner`. */
function collect(
  owner: Array<CompiledWatch | undefined>,
  taken: Bitset,
  before: Bitset | undefined,
  batch: PaperBatch,
  speller: Speller,
  shown: number,
): { paperIds: number[]; matches: WatchMatch[] } {
  const paperIds: number[] = [];
  const matches: WatchMatch[] = [];
  for (let i = 0; i < taken.length; i += 1) {
    for (let fresh = (taken[i] ?? 0) & ~(before?.[i] ?? 0); fresh !== 0; fresh = withoutLowest(fresh)) {
      const bit = lowestIndex(fresh, i);
      const watch = owner[bit];
      const paper = batch.papers[bit];
      owner[bit] = undefined;
      if (!watch || !paper) continue;
      paperIds.push(paper.id);
      if (matches.length >= shown) continue;
      const match: WatchMatch = { paperId: paper.id, watchId: watch.id, watchQuery: watch.query, terms: [] };
      speller.spell(match, watch.match, paper);
      matches.push(match);
    }
  }
  return { paperIds, matches };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
