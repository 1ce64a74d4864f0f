import { ignoredParts, parseQuery, type Query, type Term } from './parse-query.ts';
import { literalQuery } from './variants.ts';

// Two texts that mean the same query get the same key (`Diffusion  models` = `models diffusion`), so
// a user cannot save one watch twice. The key is itself valid query-language text, lowercase, with
// terms, groups and filters sorted and deduplicated. Stemming is not applied (that needs SQLite):
// `model` and `models` stay two watches. Variants (variants.ts) are not typed terms: they follow
// from the typed ones, so the key and the description leave them out.

const canonical = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
const sortedUnique = (items: string[]) => [...new Set(items)].sort();
const quoted = (text: string) => `"${text}"`;

function termKey(term: Term): string {
  const text = canonical(term.text);
  return term.kind === 'phrase' ? quoted(text) : text;
}

function groupKey(group: Term[]): string {
  const terms = sortedUnique(group.map(termKey));
  return terms.length === 1 ? terms.join('') : `(${terms.join(' OR ')})`;
}

export function queryKey(typed: Query): string {
  const query = literalQuery(typed);
  const parts = [
    ...sortedUnique(query.groups.filter((g) => g.length > 0).map(groupKey)),
    ...sortedUnique(query.exclude.map((term) => `-${termKey(term)}`)),
    ...sortedUnique(query.authors.map((name) => `author:${quoted(canonical(name))}`)),
    ...sortedUnique(query.orgs.map((name) => `org:${quoted(canonical(name))}`)),
    ...sortedUnique((query.categories ?? []).map((category) => `cat:${category.toLowerCase()}`)),
    ...sortedUnique((query.sources ?? []).map((source) => `source:${source}`)),
  ];
  if (query.since !== undefined) parts.push(`since:${query.since}`);
  if (query.minUpvotes !== undefined) parts.push(`min:${query.minUpvotes}`);
  return parts.join(' ');
}

const CONNECTIVES = new Set(['and', 'or', 'not']);

/**
 * A word is searched as the words its punctuation separates, side by side (`NEAR(a` finds "near a"):
 * brackets inside one would read as the groups the description writes in parentheses, so such a
 * word is shown as that phrase. A word that is one of the description's connectives is quoted.
 */
function describeTerm(term: Term): string {
  if (term.kind === 'phrase') return quoted(term.text);
  // The description's own connectives, searched as words, are quoted: `attention and "and" and memory`.
  if (CONNECTIVES.has(term.text.toLowerCase())) return quoted(term.text);
  if (!/[()[\]{}<>]/.test(term.text)) return term.text;
  return quoted(term.text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' '));
}

/** How the bot understood a query, for humans: `diffusion and (flow or score); not survey; by author "Jane Doe"`. */
export function describeQuery(typed: Query): string {
  const query = literalQuery(typed);
  const parts: string[] = [];
  const groups = query.groups
    .filter((g) => g.length > 0)
    .map((g) => (g.length === 1 ? g.map(describeTerm).join('') : `(${g.map(describeTerm).join(' or ')})`));
  if (groups.length > 0) parts.push(groups.join(' and '));
  const variants = [...new Set(typed.groups.flat().flatMap((term) => (term.variant ? [describeTerm(term)] : [])))];
  if (variants.length > 0) parts.push(`also finding ${variants.join(', ')}`);
  if (query.exclude.length > 0) parts.push(`not ${query.exclude.map(describeTerm).join(', ')}`);
  if (query.authors.length > 0) parts.push(`by ${query.authors.map((name) => `author ${quoted(name)}`).join(' and ')}`);
  if (query.orgs.length > 0) parts.push(`from an organisation matching ${query.orgs.map(quoted).join(' and ')}`);
  if (query.since !== undefined) parts.push(`listed on or after ${query.since}`);
  if (query.minUpvotes !== undefined) parts.push(`with at least ${query.minUpvotes} upvotes`);
  if ((query.categories ?? []).length > 0) parts.push(`in arXiv ${(query.categories ?? []).join(' and ')}`);
  if ((query.sources ?? []).length > 0) parts.push(`listed on ${(query.sources ?? []).map((source) => (source === 'hf' ? 'Hugging Face' : 'arXiv')).join(' and ')}`);
  return parts.length > 0 ? parts.join('; ') : 'nothing to search for (no words or filters)';
}

/**
 * describeQuery of a typed query, naming what it ignored (`protein; ignored 🤖 (no letters or
 * digits)`) and an operator of other search engines it read as a word (`NEAR(a b)`).
 */
export function describeQueryText(text: string): string {
  const parts = [describeQuery(parseQuery(text))];
  if (/(^|[\s(-])NEAR(\/\d+)?\(/.test(text)) parts.push('NEAR is not an operator here: it is searched as a word');
  const ignored = ignoredParts(text);
  if (ignored.length > 0) {
    const shown = ignored.length > 5 ? `${ignored.slice(0, 5).join(', ')}, …` : ignored.join(', ');
    parts.push(`ignored ${shown} (no letters or digits)`);
  }
  return parts.join('; ');
}
