import { parseQuery, type Query } from '../search/parse-query.ts';
import type { Store, WatchSource } from '../store/store.ts';
import { compileMatchQuery, watchTexts, type MatchQuery, type Term } from './compile-watch.ts';

// The percolator side of matching: every watch compiled once, watches with the same meaning sharing
// one MatchQuery and equal terms one id, so a batch evaluates each distinct query once over the
// papers holding each distinct term. Kept in memory per store and rebuilt when
// store.watchesVersion() changes (every insert and delete changes it; watches are never edited in place).

export type WatchIndex = {
  /** All watches that ask for something, each user's together and in their list order (created_at, id). */
  watches: WatchSource[];
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
  /** Each watch text in use, compiled (null: asks for nothing): a rebuild parses only new texts. */
  byText: Map<string, MatchQuery | null>;
  stems: Map<string, string[]>;
  /** By text, for terms then for author names. */
  terms: [Map<string, Term>, Map<string, Term>];
  /** Term ids, by scope and tokens. */
  ids: Map<string, number>;
};
const caches = new WeakMap<Store, Cache>();

/** `rows` as the store lists them; `byText` has every row's text. Also `byText` less the texts no row has now. */
function buildIndex(rows: WatchSource[], byText: Map<string, MatchQuery | null>, idBound: number): { index: WatchIndex; inUse: Map<string, MatchQuery | null> } {
  const inUse = new Map<string, MatchQuery | null>();
  const ordinal = new Map<MatchQuery, number>();
  const queries: MatchQuery[] = [];
  const watches: WatchSource[] = [];
  const ordinals: number[] = [];
  const users: WatchIndex['users'] = [];
  for (const row of rows) {
    const match = byText.get(row.query) ?? null;
    inUse.set(row.query, match);
    if (!match) continue;
    let at = ordinal.get(match);
    if (at === undefined) {
      at = queries.push(match) - 1;
      ordinal.set(match, at);
    }
    const i = watches.push(row) - 1;
    ordinals.push(at);
    const last = users.at(-1);
    if (last && last.userId === row.userId && last.platform === row.platform) last.end = i + 1;
    else users.push({ platform: row.platform, userId: row.userId, start: i, end: i + 1 });
  }
  return { index: { watches, users, queries, watchOrdinals: Int32Array.from(ordinals), idBound }, inUse };
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
  const cache = caches.get(store) ?? { stamp: '', index: buildIndex([], new Map(), 0).index, bySignature: new Map(), byText: new Map(), stems: new Map(), terms: [new Map(), new Map()], ids: new Map() };
  caches.set(store, cache);
  if (cache.stamp === stamp) return cache.index;
  const rows: WatchSource[] = await store.listAllWatches();
  // Many watches share a text (`diffusion`, `LLM agents`): each text not compiled before is parsed once.
  const texts = new Map<string, Query>();
  for (const row of rows) if (!cache.byText.has(row.query) && !texts.has(row.query)) texts.set(row.query, parseQuery(row.query));
  // Stem only term texts never seen before, in one pass through the store's own tokenizer.
  const unknown = new Set<string>();
  for (const parsed of texts.values()) for (const text of watchTexts(parsed)) if (!cache.stems.has(text)) unknown.add(text);
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
  for (const [text, parsed] of texts) {
    const match = compileMatchQuery(text, parsed, termOf);
    // Same meaning, same object (kept across rebuilds, so unchanged watches keep theirs).
    const existing = match ? cache.bySignature.get(match.signature) : undefined;
    if (match && !existing) cache.bySignature.set(match.signature, match);
    cache.byText.set(text, existing ?? match);
  }
  // Only the texts in use are kept: those of deleted watches, and their queries, go.
  ({ index: cache.index, inUse: cache.byText } = buildIndex(rows, cache.byText, cache.ids.size));
  cache.bySignature = new Map(cache.index.queries.map((query) => [query.signature, query]));
  cache.stamp = stamp;
  return cache.index;
}
