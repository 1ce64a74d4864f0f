import { parseQuery, type Query } from '../search/parse-query.ts';
import type { Store } from '../store/store.ts';
import { compileMatchQuery, watchTexts, type CompiledWatch, type MatchQuery, type StemmedTerm, type WatchSource } from './compile-watch.ts';

// The percolator side of matching: every watch compiled once, watches with the same meaning sharing
// one MatchQuery, and an inverted index from one "anchor" token per alternative of each query's most
// selective required part to the query. A paper batch then only wakes the queries whose anchors it
// contains. Kept in memory per store and rebuilt when store.watchesVersion() changes (every insert
// and delete changes it; watches are never edited in place).

export type WatchIndex = {
  /** All watches, each user's together and in their list order (created_at, id). */
  watches: CompiledWatch[];
  /** Each user's slice of `watches`. */
  users: Array<{ platform: string; userId: string; start: number; end: number }>;
  /** Distinct queries, by signature. */
  queries: Map<string, MatchQuery>;
  /** Position of each distinct query (in `queries` order), and of each watch's query (by watch position). */
  ordinal: Map<MatchQuery, number>;
  watchOrdinals: Int32Array;
  byAnchor: Map<string, MatchQuery[]>;
  /** Queries with no word, phrase or author (org:/since:/min: only): checked against every paper. */
  unanchored: MatchQuery[];
};

type Cache = { stamp: string; index: WatchIndex; compiled: Map<number, CompiledWatch | null>; stems: Map<string, string[]>; ids: Map<string, number> };
const caches = new WeakMap<Store, Cache>();

/** Longer stems are rarer, as a rule: the cheapest proxy for selectivity that needs no corpus scan. */
function anchorOf(term: StemmedTerm): string | undefined {
  return term.tokens.reduce<string | undefined>((best, token) => (best === undefined || token.length > best.length ? token : best), undefined);
}

/**
 * The anchors of the part every match must satisfy that looks rarest: one OR-group (an anchor per
 * term) or one author phrase. null = no anchorable part; [] = it can never match (an empty term).
 */
function anchorsOf(query: MatchQuery): string[] | null {
  const options: string[][] = [...query.groups, ...query.authors.map((author) => [author])].map((terms) => terms.flatMap((term) => anchorOf(term) ?? []));
  if (options.length === 0) return null;
  const cost = (anchors: string[]) => (anchors.length === 0 ? -1 : anchors.length * 100 - Math.min(...anchors.map((a) => a.length)));
  return options.reduce((best, next) => (cost(next) < cost(best) ? next : best));
}

function buildIndex(watches: CompiledWatch[]): WatchIndex {
  const queries = new Map(watches.map((watch) => [watch.match.signature, watch.match]));
  const ordinal = new Map([...queries.values()].map((query, i) => [query, i]));
  const watchOrdinals = Int32Array.from(watches, (watch) => ordinal.get(watch.match) ?? -1);
  const users: WatchIndex['users'] = [];
  watches.forEach((watch, i) => {
    const last = users.at(-1);
    if (last && last.userId === watch.userId && last.platform === watch.platform) last.end = i + 1;
    else users.push({ platform: watch.platform, userId: watch.userId, start: i, end: i + 1 });
  });
  const byAnchor = new Map<string, MatchQuery[]>();
  const unanchored: MatchQuery[] = [];
  for (const query of queries.values()) {
    const anchors = anchorsOf(query);
    if (anchors === null) unanchored.push(query);
    else {
      for (const anchor of new Set(anchors)) {
        const list = byAnchor.get(anchor);
        if (list) list.push(query);
        else byAnchor.set(anchor, [query]);
      }
    }
  }
  return { watches, users, queries, ordinal, watchOrdinals, byAnchor, unanchored };
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
  const cache = caches.get(store) ?? { stamp: '', index: buildIndex([]), compiled: new Map(), stems: new Map(), ids: new Map() };
  caches.set(store, cache);
  if (cache.stamp === stamp) return cache.index;
  const rows: WatchSource[] = await store.listAllWatches();
  // Many watches share a text (`diffusion`, `LLM agents`): each new text is parsed and compiled once.
  const parsedTexts = new Map<string, Query>();
  const parse = (text: string): Query => {
    let query = parsedTexts.get(text);
    if (!query) {
      query = parseQuery(text);
      parsedTexts.set(text, query);
    }
    return query;
  };
  const fresh = new Map(rows.filter((row) => !cache.compiled.has(row.id)).map((row) => [row.id, parse(row.query)]));
  // Stem only texts never seen before, in one pass through the store's own tokenizer.
  const unknown = [...new Set([...fresh.values()].flatMap(watchTexts))].filter((text) => !cache.stems.has(text));
  const stemmed = unknown.length === 0 ? [] : await store.tokenize(unknown.map((title) => ({ title })));
  stemmed.forEach((tokens, i) => cache.stems.set(unknown[i] ?? '', tokens.title));
  const stem = (text: string) => cache.stems.get(text) ?? [];
  const intern = (key: string) => {
    const known = cache.ids.get(key);
    if (known !== undefined) return known;
    cache.ids.set(key, cache.ids.size);
    return cache.ids.size - 1;
  };
  // Same meaning, same object: kept across rebuilds so unchanged watches keep theirs.
  const shared = new Map<string, MatchQuery>([...cache.index.queries]);
  const byText = new Map<string, MatchQuery | null>();
  const compileText = (text: string, parsed: Query): MatchQuery | null => {
    const known = byText.get(text);
    if (known !== undefined) return known;
    const match = compileMatchQuery(text, parsed, stem, intern);
    const existing = match ? shared.get(match.signature) : undefined;
    if (match && !existing) shared.set(match.signature, match);
    byText.set(text, existing ?? match);
    return existing ?? match;
  };
  const compiled = new Map<number, CompiledWatch | null>();
  const watches = rows.flatMap((row) => {
    const parsed = fresh.get(row.id);
    let watch = cache.compiled.get(row.id) ?? null;
    if (parsed) {
      const match = compileText(row.query, parsed);
      watch = match ? { id: row.id, platform: row.platform, userId: row.userId, query: row.query, match } : null;
    }
    compiled.set(row.id, watch);
    return watch ? [watch] : [];
  });
  cache.compiled = compiled;
  cache.index = buildIndex(watches);
  cache.stamp = stamp;
  return cache.index;
}
