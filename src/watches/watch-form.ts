import type { PaperSource } from '../search/parse-query.ts';
import type { Store } from '../store/store.ts';
import type { WatchForm } from './compile-watch.ts';

// The watch texts' forms (compile-watch.ts) kept in the store (watch_forms), so the index a
// restarted bot builds reads them instead of parsing and stemming 65k texts again. They are a
// cache: a text with no form, or a form the store holds under another version, is compiled again
// and its form rewritten.

/**
 * Bump when a form's meaning changes: the parser, watchForm or compileMatchQuery's semantics, a
 * tokenizer (a migration changing one may instead empty watch_forms).
 */
const WATCH_FORM_VERSION = 2;

/**
 * The version forms are stored under in `store`: the backends' tokenizers are kept in step but
 * are not the same code, so one's forms never serve the other (migrate-to-postgres does not copy
 * them either).
 */
export function storedFormVersion(store: Pick<Store, 'dialect'>): number {
  return WATCH_FORM_VERSION * 2 + (store.dialect === 'postgres' ? 1 : 0);
}

const SOURCES: ReadonlySet<string> = new Set<PaperSource>(['hf', 'arxiv']);

// Plain loops, no closures: every stored form is checked when a restarted bot builds its index.
function isStrings(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i += 1) if (typeof value[i] !== 'string') return false;
  return true;
}

function isGroups(value: unknown): value is string[][] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i += 1) if (!isStrings(value[i])) return false;
  return true;
}

function isSources(value: unknown): value is PaperSource[] {
  if (!isStrings(value)) return false;
  for (let i = 0; i < value.length; i += 1) if (!SOURCES.has(value[i] ?? '')) return false;
  return true;
}

/** Whether a stored JSON value is a form (null: a text that asks for nothing). */
function isWatchForm(value: unknown): value is WatchForm | null {
  if (value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const { g, a, x, o, s, m, c, r } = value as Record<string, unknown>;
  return (
    (g === undefined || isGroups(g)) &&
    (a === undefined || isStrings(a)) &&
    (x === undefined || isStrings(x)) &&
    (o === undefined || isStrings(o)) &&
    (s === undefined || typeof s === 'string') &&
    (m === undefined || typeof m === 'number') &&
    (c === undefined || isStrings(c)) &&
    (r === undefined || isSources(r))
  );
}

/** A form as stored. */
export const encodeForm = (form: WatchForm | null): string => JSON.stringify(form);

/**
 * A stored form (null: the text asks for nothing), or undefined when it is none (not JSON, not a
 * form's shape): its text is compiled again. Parsed one by one as the texts are compiled (the
 * build took the same time as with the store parsing all 65k as one JSON value).
 */
export function decodeForm(stored: string): WatchForm | null | undefined {
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return undefined;
  }
  return isWatchForm(value) ? value : undefined;
}
