import { parseQuery, type Query } from '../search/parse-query.ts';
import type { Store, UserWatches } from '../store/store.ts';
import { compileMatchQuery, forEachWatchText, watchForm, type MatchQuery, type Term, type WatchForm } from './compile-watch.ts';
import { decodeForm, encodeForm, storedFormVersion } from './watch-form.ts';

// The percolator side of matching: every watch compiled once, watches with the same meaning sharing
// one MatchQuery and equal terms one id, so a batch evaluates each distinct query once over the
// papers holding each distinct term. Kept in memory per store and rebuilt when
// store.watchesVersion() changes (every insert and delete changes it; watches are never edited in place).
// A build starting from nothing (the first in a process, or when the caches start over) reads the
// texts' stored forms (watch-form.ts) and parses and stems only texts without one; the forms it
// compiled are written back, and the forms of texts no watch has any more deleted, in one store
// unit. Later builds compile their few new texts and write those forms only.

export type WatchIndex = {
  /** Each user's watches, as a slice of the per-watch arrays (users as the store lists them, watches in list order). */
  users: Array<{ platform: string; userId: string; start: number; end: number }>;
  /** Per watch: its text's position in `texts`. Watches that ask for nothing are left out. */
  watchTexts: Int32Array;
  /** Per watch: its query's position in `queries`. */
  watchQueries: Int32Array;
  /** The distinct watch texts (a DM names the watch as its user wrote it). */
  texts: string[];
  /** Per text: its query's position in `queries` (-1: asks for nothing). */
  textQueries: Int32Array;
  /** Distinct queries (same meaning, e.g. `Diffusion` and `diffusion`, one query). */
  queries: MatchQuery[];
  /** Every term id is below this. */
  idBound: number;
  /**
   * Queries by a token a paper must have for them to match (the first token of a term of their
   * first group, or of their first author): a batch evaluates only the queries of its tokens.
   */
  byToken: Map<string, number[]>;
  /** Queries with no such token (filters alone, e.g. `org:x`): always evaluated. */
  unanchored: number[];
};

/** A distinct watch text: compiled (null: asks for nothing), and its number in the index last built with it. */
type TextEntry = { query: MatchQuery | null; generation: number; ordinal: number };

type Cache = {
  stamp: string;
  index: WatchIndex;
  /** Each watch text compiled so far: a rebuild parses only new texts. */
  byText: Map<string, TextEntry>;
  /** Compiled queries by signature (their stored form): same meaning, same object. */
  bySignature: Map<string, MatchQuery>;
  /** A term or author name's text → its stemmed tokens. */
  stems: Map<string, string[]>;
  /** Terms by their tokens joined by spaces: of any column, and of the authors column only. */
  terms: { anywhere: Map<string, Term>; authors: Map<string, Term> };
  /** Terms made so far: the next one's id. */
  termCount: number;
  /** Counts rebuilds (see TextEntry.generation). */
  generation: number;
};

const emptyIndex = (): WatchIndex => ({ users: [], watchTexts: new Int32Array(0), watchQueries: new Int32Array(0), texts: [], textQueries: new Int32Array(0), queries: [], idBound: 0, byToken: new Map(), unanchored: [] });
const emptyCache = (): Cache => ({ stamp: '', index: emptyIndex(), byText: new Map(), bySignature: new Map(), stems: new Map(), terms: { anywhere: new Map(), authors: new Map() }, termCount: 0, generation: 0 });

const caches = new WeakMap<Store, Cache>();
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
  let cache = caches.get(store) ?? emptyCache();
  caches.set(store, cache);
  if (cache.stamp === stamp) return cache.index;
  let listing: UserWatches[] | null = await store.listAllWatches();
  // The caches keep what texts no watch has any more (their terms, stems and queries): once they
  // hold as many texts again as are in use, they start over from the texts in use.
  if (cache.byText.size > 2 * cache.index.texts.length + 1000) cache = { ...emptyCache(), generation: cache.generation };
  caches.set(store, cache);
  const generation = (cache.generation += 1);
  const fromNothing = cache.byText.size === 0;

  // One pass over the watches: each distinct text numbered (one Map read per watch), each user's slice of watches.
  const texts: string[] = [];
  const entries: TextEntry[] = [];
  const fresh: string[] = [];
  const freshEntries: TextEntry[] = [];
  const rowTexts: number[] = [];
  const rowUsers: WatchIndex['users'] = [];
  for (const user of listing) {
    const start = rowTexts.length;
    for (const query of user.queries) {
      let entry = cache.byText.get(query);
      if (!entry) {
        entry = { query: null, generation: 0, ordinal: -1 };
        cache.byText.set(query, entry);
        fresh.push(query);
        freshEntries.push(entry);
      }
      if (entry.generation !== generation) {
        entry.generation = generation;
        entry.ordinal = texts.push(query) - 1;
        entries.push(entry);
      }
      rowTexts.push(entry.ordinal);
    }
    if (rowTexts.length > start) rowUsers.push({ platform: user.platform, userId: user.userId, start, end: rowTexts.length });
  }
  // The listing itself is not needed any more: let the collector have it during the parse.
  listing = null;
  await compileTexts(store, cache, fresh, freshEntries, fromNothing);

  // Distinct queries in first-use order; watches that ask for nothing are left out.
  const queryNumber = new Map<MatchQuery, number>();
  const queries: MatchQuery[] = [];
  const textQueries = new Int32Array(texts.length);
  for (let t = 0; t < entries.length; t += 1) {
    const match = (entries[t] as TextEntry).query;
    let q = -1;
    if (match) {
      q = queryNumber.get(match) ?? -1;
      if (q < 0) {
        q = queries.push(match) - 1;
        queryNumber.set(match, q);
      }
    }
    textQueries[t] = q;
  }
  const watchTexts = new Int32Array(rowTexts.length);
  const watchQueries = new Int32Array(rowTexts.length);
  const users: WatchIndex['users'] = [];
  let n = 0;
  for (const user of rowUsers) {
    const start = n;
    for (let r = user.start; r < user.end; r += 1) {
      const t = rowTexts[r] ?? 0;
      const q = textQueries[t] ?? -1;
      if (q < 0) continue;
      watchTexts[n] = t;
      watchQueries[n] = q;
      n += 1;
    }
    if (n > start) users.push({ platform: user.platform, userId: user.userId, start, end: n });
  }
  cache.index = { users, watchTexts: watchTexts.subarray(0, n), watchQueries: watchQueries.subarray(0, n), texts, textQueries, queries, idBound: cache.termCount, ...anchorsOf(queries) };
  cache.stamp = stamp;
  return cache.index;
}

/** WatchIndex.byToken and .unanchored for `queries`. */
function anchorsOf(queries: MatchQuery[]): Pick<WatchIndex, 'byToken' | 'unanchored'> {
  const byToken = new Map<string, number[]>();
  const unanchored: number[] = [];
  queries.forEach((query, q) => {
    // A paper matching the query holds a term of its first group (or its first author), so the first token of one.
    const terms = query.groups[0] ?? query.authors.slice(0, 1);
    if (terms.length === 0) {
      unanchored.push(q);
      return;
    }
    for (const term of terms) {
      // A term with no tokens matches nothing (FTS5's empty phrase): it needs no entry.
      const token = term.tokens[0];
      if (token === undefined) continue;
      const list = byToken.get(token);
      if (!list) byToken.set(token, [q]);
      else if (list[list.length - 1] !== q) list.push(q);
    }
  });
  return { byToken, unanchored };
}

/**
 * Texts compiled per chunk: a chunk's parsed queries die as soon as it is compiled. Parsing all
 * 65k texts of 100k watches first kept every parsed query alive until the end, so the collector
 * copied each of them out of the young generation.
 */
const CHUNK = 1_000;

const NO_FORMS = new Map<string, string>();
/** A text that asks for nothing, as stored. */
const NULL_FORM = encodeForm(null);

/**
 * Compiles `texts` into `entries` (the same order): from their stored forms when `readStored`,
 * parsing and stemming the others, whose forms are then stored.
 */
async function compileTexts(store: Store, cache: Cache, texts: string[], entries: TextEntry[], readStored: boolean): Promise<void> {
  const termOf = (tokens: string, authorsOnly: boolean): Term => {
    // Texts that stem alike (`Rigorous`, `rigor`) get one term: the batch finds its papers once.
    const terms = authorsOnly ? cache.terms.authors : cache.terms.anywhere;
    let term = terms.get(tokens);
    if (!term) {
      term = { tokens: tokens === '' ? [] : tokens.split(' '), authorsOnly, id: cache.termCount };
      cache.termCount += 1;
      terms.set(tokens, term);
    }
    return term;
  };
  // Same meaning, same object (kept across rebuilds, so unchanged watches keep theirs).
  const matchOf = (text: string, form: WatchForm, encoded: string): MatchQuery => {
    const match = compileMatchQuery(text, form, encoded, termOf);
    cache.bySignature.set(encoded, match);
    return match;
  };
  const version = storedFormVersion(store);
  const stored = readStored ? await store.readWatchForms(version) : NO_FORMS;
  let found = 0;
  const unformed: string[] = [];
  const unformedEntries: TextEntry[] = [];
  texts.forEach((text, i) => {
    const storedForm = stored.get(text);
    if (storedForm === undefined) {
      unformed.push(text);
      unformedEntries.push(entries[i] as TextEntry);
      return;
    }
    found += 1;
    // A form met before (another text's, or this text's in an earlier build) is not decoded again.
    const known = storedForm === NULL_FORM ? null : cache.bySignature.get(storedForm);
    if (known !== undefined) {
      (entries[i] as TextEntry).query = known;
      return;
    }
    const form = decodeForm(storedForm);
    if (form === undefined) {
      unformed.push(text);
      unformedEntries.push(entries[i] as TextEntry);
    } else (entries[i] as TextEntry).query = form === null ? null : matchOf(text, form, storedForm);
  });
  const written: Array<{ query: string; form: string }> = [];
  const stems = (text: string) => cache.stems.get(text) ?? [];
  for (let from = 0; from < unformed.length; from += CHUNK) {
    const chunk = unformed.slice(from, from + CHUNK);
    const parsed: Query[] = chunk.map((text) => parseQuery(text));
    // Stem only term texts never seen before, in one pass through the store's own tokenizer.
    const unknown = new Set<string>();
    for (const query of parsed) forEachWatchText(query, (text) => cache.stems.has(text) || unknown.add(text));
    const asked = [...unknown];
    const stemmed = asked.length === 0 ? [] : await store.tokenize(asked.map((title) => ({ title })));
    stemmed.forEach((tokens, i) => cache.stems.set(asked[i] ?? '', tokens.title));
    chunk.forEach((text, i) => {
      const form = watchForm(parsed[i] as Query, stems);
      const encoded = encodeForm(form);
      written.push({ query: text, form: encoded });
      (unformedEntries[from + i] as TextEntry).query = form === null ? null : (cache.bySignature.get(encoded) ?? matchOf(text, form, encoded));
    });
  }
  // Stored forms no text here has: their watches are gone (a build from nothing sees every text).
  const unused = readStored && stored.size > found;
  if (written.length === 0 && !unused) return;
  // A cache: a form not written is compiled again at the next start, so a failed write (another
  // replica holding the lock too long) must not fail the build.
  await store.writeWatchForms(version, written, readStored).catch(() => undefined);
}
