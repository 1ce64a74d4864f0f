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
export const WATCH_FORM_VERSION = 1;

/**
 * The version forms are stored under in `store`: the backends' tokenizers are kept in step but
 * are not the same code, so one's forms (copied by migrate-to-postgres) never serve the other.
 */
export function storedFormVersion(store: Pick<Store, 'dialect'>): number {
  return WATCH_FORM_VERSION * 2 + (store.dialect === 'postgres' ? 1 : 0);
}

const SOURCES: ReadonlySet<string> = new Set<PaperSource>(['hf', 'arxiv']);

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const absentOr = (value: unknown, test: (value: unknown) => boolean) => value === undefined || test(value);

/** Whether a stored JSON value is a form (null: a text that asks for nothing). */
function isWatchForm(value: unknown): value is WatchForm | null {
  if (value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const form = value as Record<string, unknown>;
  return (
    absentOr(form.g, (g) => Array.isArray(g) && g.every(isStrings)) &&
    absentOr(form.a, isStrings) &&
    absentOr(form.x, isStrings) &&
    absentOr(form.o, isStrings) &&
    absentOr(form.s, (s) => typeof s === 'string') &&
    absentOr(form.m, (m) => typeof m === 'number') &&
    absentOr(form.c, isStrings) &&
    absentOr(form.r, (r) => isStrings(r) && r.every((source) => SOURCES.has(source)))
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
