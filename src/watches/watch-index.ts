import { parseQuery, type Query } from '../search/parse-query.ts';
import type { Store, WatchSource } from '../store/store.ts';
import { compileMatchQuery, watchTexts, type CompiledWatch, type MatchQuery, type Term } from './compile-watch.ts';

// The percolator side of matching: every watch compiled once, watches with the same meaning sharing
// one MatchQuery and equal terms one id, so a batch evaluates each distinct query once over the
// papers holding each distinct term. Kept in memory per store and rebuilt when
// store.watchesVersion() changes (every insert and delete changes it; watches are never edited in place).

export type WatchIndex = {
  /** All watches, each user's together and in their list order (created_at, id). */
  watches: CompiledWatch[];
  /** Each user's slice of `watches`. */
  users: Array<{ platform: string; userId: string; start: number; end: number }>;
  /** Distinct queries; `watchOrdinals[w]` is the position of watch w's query among them. */
  queries: MatchQuery[];
  watchOrdinals: Int32Array;
  /** Every term id is below this. */
  idBound: number;
};

type Cache = {
  stamp: string;
  index: WatchIndex;
  /** The index's queries by signature: same meaning, same object, across rebuilds too. */
  bySignature: Map<string, MatchQuery>;
  compiled: Map<number, CompiledWatch | null>;
  stems: Map<string, string[]>;
  /** By text, for terms then for author names. */
  terms: [Map<string, Term>, Map<string, Term>];
  /** Term ids, by scope and tokens. */
  ids: Map<string, number>;
};
const caches = new WeakMap<Store, Cache>();

function buildIndex(watches: CompiledWatch[], idBound: number): WatchIndex {
  const ordinal = new Map<MatchQuery, number>();
  const queries: MatchQuery[] = [];
  const watchOrdinals = new Int32Array(watches.length);
  const users: WatchIndex['users'] = [];
  watches.forEach((watch, i) => {
    let at = ordinal.get(watch.match);
    if (at === undefined) {
      at = queries.push(watch.match) - 1;
      ordinal.set(watch.match, at);
    }
    watchOrdinals[i] = at;
    const last = users.at(-1);
    if (last && last.userId === watch.userId && last.platform === watch.platform) last.end = i + 1;
    else users.push({ platform: watch.platform, userId: watch.userId, start: i, end: i + 1 });
  });
  return { watches, users, queries, watchOrdinals, idBound };
}

const inFlight = new WeakMap<Store, Promise<WatchIndex>>();

/**
 * The compiled watches and their index, rebuilt only when the set of watches has changed (one
 * cheap read of store.watchesVersion() otherwise, so a watch added on another replica is seen
 * before the leader plans). Calls that meet a rebuild in progress share it.
 */
export function getWatchIndex(store: Store): Promise<WatchIndex> {
  const running = inFlight.get(store);
  if (running) return running.then(() => getWatchIndex(store));
  const next = refresh(store).finally(() => inFlight.delete(store));
  inFlight.set(store, next);
  return next;
}

/**
 * Builds or updates the index ahead of the next ingest (at start-up, after a watch was added or
 * removed), so alert planning finds it ready. Never throws: planning builds it anyway.
 */
export function warmWatchIndex(store: Store): void {
  getWatchIndex(store).catch(() => undefined);
}

async function refresh(store: Store): Promise<WatchIndex> {
  const stamp = await store.watchesVersion();
  const cache = caches.get(store) ?? { stamp: '', index: buildIndex([], 0), bySignature: new Map(), compiled: new Map(), stems: new Map(), terms: [new Map(), new Map()], ids: new Map() };
  caches.set(store, cache);
  if (cache.stamp === stamp) return cache.index;
  const rows: WatchSource[] = await store.listAllWatches();
  // Many watches share a text (`diffusion`, `LLM agents`): each new text is parsed and compiled once.
  const texts = new Map<string, { parsed: Query; match: MatchQuery | null }>();
  for (const row of rows) {
    if (!cache.compiled.has(row.id) && !texts.has(row.query)) texts.set(row.query, { parsed: parseQuery(row.query), match: null });
  }
  // Stem only term texts never seen before, in one pass through the store's own tokenizer.
  const unknown = new Set<string>();
  for (const { parsed } of texts.values()) for (const text of watchTexts(parsed)) if (!cache.stems.has(text)) unknown.add(text);
  const asked = [...unknown];
  const stemmed = asked.length === 0 ? [] : await store.tokenize(asked.map((title) => ({ title })));
  stemmed.forEach((tokens, i) => cache.stems.set(asked[i] ?? '', tokens.title));
  const termOf = (text: string, authorsOnly: boolean): Term => {
    const byText = cache.terms[authorsOnly ? 1 : 0];
    let term = byText.get(text);
    if (!term) {
      const tokens = cache.stems.get(text) ?? [];
      // Texts that stem alike (`Rigorous`, `rigor`) get one id: the batch finds its papers once.
      const key = `${authorsOnly ? 'a' : 'w'}:${tokens.join(' ')}`;
      let id = cache.ids.get(key);
      if (id === undefined) {
        id = cache.ids.size;
        cache.ids.set(key, id);
      }
      term = { tokens, authorsOnly, id };
      byText.set(text, term);
    }
    return term;
  };
  for (const [text, entry] of texts) {
    const match = compileMatchQuery(text, entry.parsed, termOf);
    // Same meaning, same object (kept across rebuilds, so unchanged watches keep theirs).
    const existing = match ? cache.bySignature.get(match.signature) : undefined;
    if (match && !existing) cache.bySignature.set(match.signature, match);
    entry.match = existing ?? match;
  }
  const compiled = new Map<number, CompiledWatch | null>();
  const watches: CompiledWatch[] = [];
  for (const row of rows) {
    let watch = cache.compiled.get(row.id);
    if (watch === undefined) {
      const match = texts.get(row.query)?.match;
      watch = match ? { id: row.id, platform: row.platform, userId: row.userId, query: row.query, match } : null;
    }
    compiled.set(row.id, watch);
    if (watch) watches.push(watch);
  }
  cache.compiled = compiled;
  cache.index = buildIndex(watches, cache.ids.size);
  cache.bySignature = new Map(cache.index.queries.map((query) => [query.signature, query]));
  cache.stamp = stamp;
  return cache.index;
}
