import type Database from 'better-sqlite3';
import { tokenizeTexts } from '../search/tokenize-texts.ts';
import type { Db } from '../store/open-db.ts';
import { compileWatch, watchTexts, type CompiledWatch, type StemmedTerm, type WatchSource } from './compile-watch.ts';

// The percolator side of matching: every watch compiled once, and an inverted index from one
// "anchor" token per alternative of the watch's most selective required part to the watch. A paper
// batch then only wakes the watches whose anchors it contains. Kept in memory per connection and
// rebuilt when the watches table changes, which (count, max id) detects: ids are AUTOINCREMENT, so
// any insert raises max(id) and a delete alone lowers count(*). Watches are never edited in place.

export type WatchIndex = {
  /** All watches, in each user's list order (created_at, id). */
  watches: CompiledWatch[];
  byAnchor: Map<string, CompiledWatch[]>;
  /** Watches with no word, phrase or author (org:/since:/min: only): checked against every paper. */
  unanchored: CompiledWatch[];
};

type Cache = { stamp: string; index: WatchIndex; compiled: Map<number, CompiledWatch | null>; stems: Map<string, string[]> };
const caches = new WeakMap<Database.Database, Cache>();

/** Longer stems are rarer, as a rule: the cheapest proxy for selectivity that needs no corpus scan. */
function anchorOf(term: StemmedTerm): string | undefined {
  return term.tokens.reduce<string | undefined>((best, token) => (best === undefined || token.length > best.length ? token : best), undefined);
}

/**
 * The anchors of the part every match must satisfy that looks rarest: one OR-group (an anchor per
 * term) or one author phrase. null = no anchorable part; [] = it can never match (an empty term).
 */
function anchorsOf(watch: CompiledWatch): string[] | null {
  const options: string[][] = [
    ...watch.groups.map((group) => group.flatMap((term) => anchorOf(term) ?? [])),
    ...watch.authors.map((author) => {
      const anchor = anchorOf(author);
      return anchor === undefined ? [] : [anchor];
    }),
  ];
  if (options.length === 0) return null;
  const score = (anchors: string[]) => (anchors.length === 0 ? -1 : anchors.length * 100 - Math.min(...anchors.map((a) => a.length)));
  return options.reduce((best, next) => (score(next) < score(best) ? next : best));
}

function buildIndex(watches: CompiledWatch[]): WatchIndex {
  const byAnchor = new Map<string, CompiledWatch[]>();
  const unanchored: CompiledWatch[] = [];
  for (const watch of watches) {
    const anchors = anchorsOf(watch);
    if (anchors === null) {
      unanchored.push(watch);
      continue;
    }
    for (const anchor of new Set(anchors)) {
      const list = byAnchor.get(anchor);
      if (list) list.push(watch);
      else byAnchor.set(anchor, [watch]);
    }
  }
  return { watches, byAnchor, unanchored };
}

/** The compiled watches and their index, rebuilt only when the watches table has changed. */
export function getWatchIndex(db: Db): WatchIndex {
  const sqlite = db.$client;
  const state = sqlite.prepare<[], { n: number; maxId: number | null }>('SELECT count(*) AS n, max(id) AS maxId FROM watches').get();
  const stamp = `${state?.n ?? 0}:${state?.maxId ?? 0}`;
  const cache = caches.get(sqlite) ?? { stamp: '', index: buildIndex([]), compiled: new Map(), stems: new Map() };
  caches.set(sqlite, cache);
  if (cache.stamp === stamp) return cache.index;
  const rows = sqlite
    .prepare<[], WatchSource>('SELECT id, platform, user_id AS userId, created_at AS createdAt, query FROM watches ORDER BY platform, user_id, created_at, id')
    .all();
  const fresh = rows.filter((row) => !cache.compiled.has(row.id));
  // Stem only texts never seen before, in one pass through SQLite's own tokenizer.
  const unknown = [...new Set(fresh.flatMap(watchTexts))].filter((text) => !cache.stems.has(text));
  tokenizeTexts(db, unknown).forEach((tokens, i) => cache.stems.set(unknown[i] ?? '', tokens));
  const stem = (text: string) => cache.stems.get(text) ?? [];
  const compiled = new Map<number, CompiledWatch | null>();
  const watches = rows.flatMap((row) => {
    const watch = cache.compiled.has(row.id) ? (cache.compiled.get(row.id) ?? null) : compileWatch(row, stem);
    compiled.set(row.id, watch);
    return watch ? [watch] : [];
  });
  cache.compiled = compiled;
  cache.index = buildIndex(watches);
  cache.stamp = stamp;
  return cache.index;
}
