import { matchedTerms } from '../search/matched-terms.ts';
import type { Db } from '../store/open-db.ts';
import type { CompiledWatch, MatchQuery, PositiveTerm } from './compile-watch.ts';
import { candidateBits, createScratch, evaluateWatch, findPhrase, passesFilters, spelledHit } from './evaluate-watch.ts';
import { loadPaperBatch, type BatchPaper, type PaperBatch } from './paper-batch.ts';
import { getWatchIndex } from './watch-index.ts';

// Which users get which of the new papers. Percolator-style: the papers are tokenised once; the
// cached index wakes only the distinct watch queries whose anchor token occurs in the batch; each
// woken query is evaluated once (bitsets narrow it to papers holding its tokens, an exact check
// with FTS5's semantics confirms phrases, authors and filters; test/watches proves it agrees with
// searchPapers). Then each user's watches, in list order, take the matching papers they do not
// have yet. Matched words are spelled once per (paper, term).

export type WatchMatch = { paperId: number; watchId: number; watchQuery: string; terms: string[] };
export type UserMatches = { platform: string; userId: string; matches: WatchMatch[] };

const userKey = (platform: string, userId: string) => `${platform}\u0000${userId}`;
const AUTHORS = ['authors'] as const;

/** Per user, the papers of this batch already alerted to them, as a bitset over the batch. */
function alreadyAlerted(db: Db, batch: PaperBatch): Map<string, Uint32Array> {
  const bitOf = new Map(batch.papers.map((paper) => [paper.id, paper.index]));
  const done = new Map<string, Uint32Array>();
  const read = db.$client.prepare<[string], { platform: string; userId: string; paperId: number }>(
    'SELECT platform, user_id AS userId, paper_id AS paperId FROM alerted_papers WHERE paper_id IN (SELECT value FROM json_each(?))',
  );
  for (const row of read.iterate(JSON.stringify([...bitOf.keys()]))) {
    const bit = bitOf.get(row.paperId);
    if (bit === undefined) continue;
    const key = userKey(row.platform, row.userId);
    const bits = done.get(key) ?? new Uint32Array(batch.size);
    bits[bit >>> 5] = (bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
    done.set(key, bits);
  }
  return done;
}

/** The papers each woken query matches, evaluated once per distinct query. */
function evaluateQueries(batch: PaperBatch, woken: Iterable<MatchQuery>): Map<MatchQuery, Uint32Array> {
  const matching = new Map<MatchQuery, Uint32Array>();
  const scratch = createScratch(batch);
  for (const query of woken) {
    const bits = candidateBits(batch, query, scratch);
    let any = false;
    for (let i = 0; i < bits.length; i += 1) {
      for (let left = bits[i] ?? 0; left !== 0; left &= left - 1) {
        const low = left & -left;
        const paper = batch.papers[i * 32 + 31 - Math.clz32(low)];
        if (paper && (query.exact ? passesFilters(query, paper) : evaluateWatch(query, paper))) any = true;
        else bits[i] = (bits[i] ?? 0) & ~low;
      }
    }
    if (any) matching.set(query, bits.slice());
  }
  return matching;
}

/**
 * The matched words of a (query, paper) pair as the paper spells them. Each (paper, term) is
 * looked up once and each (paper, set of positive terms) assembled once; the arrays are shared.
 * Caches are keyed by interned id × batch size + paper index: integer keys, no string hashing.
 */
function createSpeller(db: Db, batch: PaperBatch) {
  const n = batch.papers.length;
  // (term, paper) → its words: [] = not in this paper; null = in it, but the split is unsure.
  const words = new Map<number, string[] | null>();
  const lists = new Map<number, string[]>();
  const spell = (paper: BatchPaper, term: PositiveTerm): string[] | null => {
    const key = term.id * n + paper.index;
    const cached = words.get(key);
    if (cached !== undefined) return cached;
    const hit = findPhrase(paper, term.tokens, term.authorsOnly ? AUTHORS : undefined);
    const spelled = hit ? spelledHit(paper, hit) : undefined;
    const list = spelled === undefined ? [] : spelled === null ? null : [spelled];
    words.set(key, list);
    return list;
  };
  const assemble = (query: MatchQuery, paper: BatchPaper): string[] => {
    let terms: string[] = [];
    for (const term of query.positive) {
      const spelled = spell(paper, term);
      // An unsure word split: FTS5's highlight() on the stored paper says it exactly.
      if (spelled === null) return matchedTerms(db, paper.id, query.text);
      // One-term queries (the common case) share the term's own array.
      if (terms.length === 0) terms = spelled;
      else for (const word of spelled) if (!terms.includes(word)) terms = [...terms, word];
    }
    return terms;
  };
  return (query: MatchQuery, paper: BatchPaper): string[] => {
    if (query.positive.length === 1) return assemble(query, paper);
    const key = query.positiveId * n + paper.index;
    const cached = lists.get(key);
    if (cached) return cached;
    const terms = assemble(query, paper);
    lists.set(key, terms);
    return terms;
  };
}

/**
 * For each user, the new papers matching any of their watches, each paper once (credited to the
 * user's first matching watch in list order, with the words it matched), never a paper already in
 * alerted_papers for that user. Users are ordered by platform and id, papers as in `newPaperIds`.
 * The `terms` arrays are shared between matches: treat them as read-only.
 */
export function matchWatches(db: Db, newPaperIds: number[]): UserMatches[] {
  if (newPaperIds.length === 0) return [];
  const index = getWatchIndex(db);
  if (index.watches.length === 0) return [];
  const batch = loadPaperBatch(db, newPaperIds);
  if (batch.papers.length === 0) return [];
  // Woken queries: an anchor token in some new paper, or nothing to anchor on.
  const woken = new Set<MatchQuery>(index.unanchored);
  for (const token of batch.anyColumn.keys()) for (const query of index.byAnchor.get(token) ?? []) woken.add(query);
  const matching = evaluateQueries(batch, woken);
  if (matching.size === 0) return [];
  const alerted = alreadyAlerted(db, batch);
  const spell = createSpeller(db, batch);
  const result: UserMatches[] = [];
  // Scratch for the user at hand: which papers they have, and which watch took each new one.
  const taken = new Uint32Array(batch.size);
  const owner: Array<CompiledWatch | undefined> = new Array<CompiledWatch | undefined>(batch.size * 32);
  // index.watches holds each user's watches together, in list order: the first match wins.
  for (let start = 0; start < index.watches.length; ) {
    const head = index.watches[start];
    if (!head) break;
    let end = start + 1;
    while (index.watches[end]?.userId === head.userId && index.watches[end]?.platform === head.platform) end += 1;
    // Papers this user already has: alerted before, or taken by an earlier watch of theirs.
    const before = alerted.get(userKey(head.platform, head.userId));
    if (before) taken.set(before);
    else taken.fill(0);
    let any = false;
    for (let w = start; w < end; w += 1) {
      const watch = index.watches[w];
      const bits = watch ? matching.get(watch.match) : undefined;
      if (!watch || !bits) continue;
      for (let i = 0; i < bits.length; i += 1) {
        let fresh = (bits[i] ?? 0) & ~(taken[i] ?? 0);
        if (fresh === 0) continue;
        any = true;
        taken[i] = (taken[i] ?? 0) | fresh;
        for (; fresh !== 0; fresh &= fresh - 1) owner[i * 32 + 31 - Math.clz32(fresh & -fresh)] = watch;
      }
    }
    if (any) result.push({ platform: head.platform, userId: head.userId, matches: collect(owner, taken, before, batch, spell) });
    start = end;
  }
  return result.sort((a, b) => (a.platform === b.platform ? compare(a.userId, b.userId) : compare(a.platform, b.platform)));
}

/** The user's new matches in batch order (bits in `taken` but not `before`), clearing `owner`. */
function collect(
  owner: Array<CompiledWatch | undefined>,
  taken: Uint32Array,
  before: Uint32Array | undefined,
  batch: PaperBatch,
  spell: (query: MatchQuery, paper: BatchPaper) => string[],
): WatchMatch[] {
  const matches: WatchMatch[] = [];
  for (let i = 0; i < taken.length; i += 1) {
    for (let fresh = (taken[i] ?? 0) & ~(before?.[i] ?? 0); fresh !== 0; fresh &= fresh - 1) {
      const bit = i * 32 + 31 - Math.clz32(fresh & -fresh);
      const watch = owner[bit];
      const paper = batch.papers[bit];
      owner[bit] = undefined;
      if (watch && paper) matches.push({ paperId: paper.id, watchId: watch.id, watchQuery: watch.query, terms: spell(watch.match, paper) });
    }
  }
  return matches;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
