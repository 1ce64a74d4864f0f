import { isArxivCategory } from '../papers/arxiv-category.ts';
import { isFeedDate } from '../clock.ts';
import { normaliseQuotes } from './normalise-quotes.ts';
import { withVariants } from './variants.ts';

// The one parser of the query language (search, watches, digest filters):
//   word word           all must match (FTS5 porter stemming: `rigor` finds "rigorous")
//   "exact phrase"      adjacent words (“curly” quotes too)
//   a OR b              OR binds the terms on either side into one group (`a b OR c` = a AND (b OR c))
//   a AND b             the same as `a b`: upper-case AND is dropped (lower-case `and` is a word)
//   -word  -"phrase"    exclusion
//   author:doe  author:"Jane Doe"  org:name  org:"Some Lab"  since:YYYY-MM-DD  min:N   (keys case-insensitive)
//   cat:cs.CL  cat:cs   arXiv category, primary or cross-listed (`cs` = the whole archive)
//   source:hf  source:arxiv   which source listed the paper
// Any text is accepted and nothing throws: syntax that does not parse becomes plain words, and a
// term with no letter or digit is dropped (FTS5 would index nothing for it; ignoredParts lists them).
// The parsed query carries the typed terms' other forms (variants.ts: `LLM` also finds "large
// language model") as extra OR alternatives marked `variant`.

export type Term = { kind: 'word' | 'phrase'; text: string; /** Added by variants.ts, not typed. */ variant?: true };

export type Query = {
  /** AND of OR-groups; a group of one term is a plain required term. */
  groups: Term[][];
  /** A paper containing any of these is left out. */
  exclude: Term[];
  /** Each must appear as a phrase in the authors column. */
  authors: string[];
  /** Each must be a case-insensitive substring of the paper's organisation. */
  orgs: string[];
  /** Feed day, YYYY-MM-DD: papers whose latest feed day is on or after it. */
  since?: string;
  minUpvotes?: number;
  /** arXiv categories (`cs.CL`) or archives (`cs`); each must be among the paper's categories. Absent = none. */
  categories?: string[];
  /** Each source must have listed the paper. Absent = none. */
  sources?: PaperSource[];
};

const paperSources = ['hf', 'arxiv'] as const;
export type PaperSource = (typeof paperSources)[number];

/** Caps keep a 10 kB paste cheap and under FTS5's expression limits; real queries are far smaller. */
export const MAX_TERMS = 64;
const MAX_FILTERS = 16;
const MAX_TERM_LENGTH = 200;
/** The one bound on min: here and on a digest's min_upvotes (0 to this). */
export const MAX_MIN_UPVOTES = 1_000_000;

// Watches are parsed by the ten thousand at start-up: plain ASCII text skips the Unicode regexes.
const ASCII_ALNUM = /[A-Za-z0-9]/;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
const hasLetterOrDigit = (text: string) => ASCII_ALNUM.test(text) || /[\p{L}\p{N}]/u.test(text);
const isAsciiAlnum = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const trimPunctuation = (text: string) =>
  text.length > 0 && isAsciiAlnum(text.charCodeAt(0)) && isAsciiAlnum(text.charCodeAt(text.length - 1)) ? text : text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
const collapseSpaces = (text: string) => text.replace(/\s+/g, ' ').trim();

const FILTER_KEYS = ['author', 'org', 'since', 'min', 'cat', 'source'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
const filterKeyOf = (text: string): FilterKey | undefined => FILTER_KEYS.find((key) => key === text.toLowerCase());

type Token =
  | { type: 'term'; term: Term; negated: boolean }
  | { type: 'or' }
  | { type: 'filter'; key: FilterKey; value: string }
  // A filter whose value does not parse: its words are searched instead (noted for messages).
  | { type: 'malformed'; key: FilterKey; value: string }
  // A word or phrase with no letter or digit (`🤖`, `&`): searched for nothing, noted for messages.
  | { type: 'ignored'; text: string };

function emptyQuery(): Query {
  return { groups: [], exclude: [], authors: [], orgs: [] };
}

export function parseQuery(text: string): Query {
  return withVariants(buildQuery(tokenize(prepare(text))));
}

/** Filters written with a value that does not parse (`min:-1`, `since:2026-1-5`, `author:`), as typed. */
export function malformedFilters(text: string): Array<{ key: FilterKey; value: string }> {
  return tokenize(prepare(text)).flatMap((token) => (token.type === 'malformed' ? [{ key: token.key, value: token.value }] : []));
}

/**
 * Filters written next to an OR (`cat:cs.CL OR retrieval`), as typed. OR joins words and phrases;
 * a filter narrows the whole query, so such a query cannot mean "either" (the commands refuse it
 * rather than quietly searching for both).
 */
export function filtersBesideOr(text: string): string[] {
  const tokens = tokenize(prepare(text));
  return tokens.flatMap((token, i) =>
    token.type === 'filter' && (tokens[i - 1]?.type === 'or' || tokens[i + 1]?.type === 'or') ? [`${token.key}:${/\s/.test(token.value) ? `"${token.value}"` : token.value}`] : [],
  );
}

function prepare(text: string): string {
  // Printable ASCII holds no control character, lone surrogate or curly quote.
  if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) return balanceQuotes(text);
  // Control characters and lone surrogates are never meant; as separators they cannot reach FTS5.
  // NFC: an accent typed or pasted as a combining mark (macOS, PDFs) is the letter papers store.
  return balanceQuotes(normaliseQuotes(String(text).replace(/[\p{Cc}\p{Cs}]/gu, ' ').normalize('NFC')));
}

/** Words and phrases dropped because they have no letter or digit (`🤖`, `-***`), as typed. */
export function ignoredParts(text: string): string[] {
  return tokenize(prepare(text)).flatMap((token) => (token.type === 'ignored' ? [token.text] : []));
}

/** True when the query asks for nothing at all (no term, exclusion or filter). */
export function isEmptyQuery(query: Query): boolean {
  return (
    query.groups.length === 0 &&
    query.exclude.length === 0 &&
    query.authors.length === 0 &&
    query.orgs.length === 0 &&
    query.since === undefined &&
    query.minUpvotes === undefined &&
    (query.categories ?? []).length === 0 &&
    (query.sources ?? []).length === 0
  );
}

/** Quotes pair left to right; an odd last one is not syntax, so it becomes a space. */
function balanceQuotes(text: string): string {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) count += 1;
  if (count % 2 === 0) return text;
  const last = text.lastIndexOf('"');
  return `${text.slice(0, last)} ${text.slice(last + 1)}`;
}

const SPACE = /\s/;
/** A bare word: up to the next space or quote (sticky: read from lastIndex). */
const BARE = /[^\s"]*/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readPhrase = (): string => {
    // At an opening quote; balanceQuotes guarantees a closing one.
    const end = text.indexOf('"', i + 1);
    const inner = text.slice(i + 1, end);
    i = end + 1;
    return inner;
  };
  const readBare = (): string => {
    BARE.lastIndex = i;
    const bare = BARE.exec(text)?.[0] ?? '';
    i += bare.length;
    return bare;
  };
  while (i < text.length) {
    const ch = text.charAt(i);
    if (SPACE.test(ch)) {
      i += 1;
    } else if (ch === '"') {
      tokens.push(...phraseTokens(readPhrase(), false));
    } else if (ch === '-' && text.charAt(i + 1) === '"') {
      i += 1;
      tokens.push(...phraseTokens(readPhrase(), true));
    } else {
      const negated = ch === '-';
      if (negated) i += 1;
      const bare = readBare();
      if (!negated && bare === 'OR') {
        tokens.push({ type: 'or' });
        continue;
      }
      // Terms are ANDed anyway: `a AND b` is `a b`, and a lone or dangling AND asks for nothing.
      if (!negated && bare === 'AND') continue;
      const filter = negated || !bare.includes(':') ? null : /^(author|org|since|min|cat|source):(.*)$/isu.exec(bare);
      const key = filterKeyOf(filter?.[1] ?? '');
      if (filter && key) {
        let value = filter[2] ?? '';
        if (value === '' && text.charAt(i) === '"') value = readPhrase();
        const token = filterToken(key, collapseSpaces(value));
        // Not a valid filter: the key and the value are plain words.
        const malformed: Token = { type: 'malformed', key, value };
        tokens.push(...(token ? [token] : [malformed, ...wordTokens(filter[1] ?? '', false), ...wordTokens(value, false)]));
      } else {
        tokens.push(...wordTokens(bare, negated));
      }
    }
  }
  return tokens;
}

function filterToken(key: FilterKey, value: string): Token | null {
  if (key === 'author' || key === 'org') {
    return hasLetterOrDigit(value) ? { type: 'filter', key, value: value.slice(0, MAX_TERM_LENGTH) } : null;
  }
  if (key === 'since') return isFeedDate(value) ? { type: 'filter', key, value } : null;
  if (key === 'min') return /^\d+$/.test(value) && Number(value) <= MAX_MIN_UPVOTES ? { type: 'filter', key, value } : null;
  if (key === 'cat') return isArxivCategory(value) ? { type: 'filter', key, value } : null;
  if (key === 'source') return paperSources.some((source) => source === value.toLowerCase()) ? { type: 'filter', key, value: value.toLowerCase() } : null;
  return null;
}

function phraseTokens(inner: string, negated: boolean): Token[] {
  const text = trimPunctuation(collapseSpaces(inner)).slice(0, MAX_TERM_LENGTH);
  if (!hasLetterOrDigit(text)) return inner.trim() === '' ? [] : [{ type: 'ignored', text: `${negated ? '-' : ''}"${collapseSpaces(inner)}"` }];
  // A one-word phrase is just that word: `"diffusion"` and `diffusion` mean the same.
  return [{ type: 'term', term: { kind: /\s/.test(text) ? 'phrase' : 'word', text }, negated }];
}

/** Words of text that is not syntax (whitespace-separated, quotes already removed). */
function wordTokens(text: string, negated: boolean): Token[] {
  return text
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word): Token => {
      const trimmed = trimPunctuation(word).slice(0, MAX_TERM_LENGTH);
      if (!hasLetterOrDigit(trimmed)) return { type: 'ignored', text: `${negated ? '-' : ''}${word}` };
      return { type: 'term', term: { kind: 'word', text: trimmed }, negated };
    });
}

function buildQuery(tokens: Token[]): Query {
  const query = emptyQuery();
  let termCount = 0;
  let filterCount = 0;
  let joinNext = false;
  let lastWasTerm = false;
  for (const token of tokens) {
    if (token.type === 'or') {
      // OR only binds two positive terms; dangling or doubled ORs are dropped.
      joinNext = lastWasTerm;
      continue;
    }
    if (token.type === 'malformed' || token.type === 'ignored') continue;
    if (token.type === 'filter') {
      lastWasTerm = false;
      joinNext = false;
      if (filterCount >= MAX_FILTERS) continue;
      filterCount += 1;
      addFilter(query, token.key, token.value);
      continue;
    }
    if (termCount >= MAX_TERMS) continue;
    termCount += 1;
    if (token.negated) {
      query.exclude.push(token.term);
      lastWasTerm = false;
      joinNext = false;
      continue;
    }
    const previous = query.groups.at(-1);
    if (joinNext && previous) previous.push(token.term);
    else query.groups.push([token.term]);
    lastWasTerm = true;
    joinNext = false;
  }
  return query;
}

function addFilter(query: Query, key: FilterKey, value: string): void {
  if (key === 'author') query.authors.push(value);
  else if (key === 'org') query.orgs.push(value);
  // Repeated since:/min: keep the strictest (all filters must hold).
  else if (key === 'cat') {
    const categories = (query.categories ??= []);
    if (!categories.some((c) => c.toLowerCase() === value.toLowerCase())) categories.push(value);
  } else if (key === 'source') {
    const sources = (query.sources ??= []);
    const source = paperSources.find((s) => s === value);
    if (source && !sources.includes(source)) sources.push(source);
  } else if (key === 'since') query.since = query.since === undefined || value > query.since ? value : query.since;
  else query.minUpvotes = Math.max(query.minUpvotes ?? 0, Number(value));
}
