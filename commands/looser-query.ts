import type { Query } from '../src/search/parse-query.ts';
import { literalQuery } from '../src/search/variants.ts';

// When a search finds nothing, we try a few looser versions of it and suggest the first that
// finds something. Each candidate is written back in the query language so the user can copy it.

type Term = Query['exclude'][number];

export type LooserQuery = { text: string; why: string };

export function looserQueries(typed: Query): LooserQuery[] {
  // Variants follow from the typed words: the suggestion is written as typed.
  const query = literalQuery(typed);
  const candidates: LooserQuery[] = [];
  const filters = filterParts(query);
  const groups = query.groups.filter((group) => group.length > 0);
  if (groups.length > 0 && (filters.length > 0 || query.exclude.length > 0)) {
    candidates.push({ text: groups.map(formatGroup).join(' '), why: 'without the filters and exclusions' });
  }
  // Fewer words: drop words from the end, keeping the first (usually the topic).
  for (let keep = groups.length - 1; keep >= 1; keep -= 1) {
    candidates.push({ text: groups.slice(0, keep).map(formatGroup).join(' '), why: 'with fewer words' });
  }
  if (groups.length > 1) {
    candidates.push({ text: groups.flat().map(formatTerm).join(' OR '), why: 'matching any of the words' });
  }
  if (groups.length === 0) {
    // Only filters: drop them one at a time.
    filters.forEach((_, skip) => {
      const rest = filters.filter((__, i) => i !== skip);
      if (rest.length > 0) candidates.push({ text: rest.join(' '), why: `without ${filters[skip] ?? ''}` });
    });
  }
  const seen = new Set<string>();
  return candidates.filter((candidate) => candidate.text.trim() !== '' && !seen.has(candidate.text) && seen.add(candidate.text));
}

/** When no looser candidate finds anything: what this query could give up, and nothing it lacks. */
export function looserAdvice(query: Query): string {
  const filters = [
    ...(query.authors.length > 0 ? ['author:'] : []),
    ...(query.orgs.length > 0 ? ['org:'] : []),
    ...(query.since !== undefined ? ['since:'] : []),
    ...(query.minUpvotes !== undefined ? ['min:'] : []),
    ...((query.categories ?? []).length > 0 ? ['cat:'] : []),
    ...((query.sources ?? []).length > 0 ? ['source:'] : []),
  ];
  const drops = [...(filters.length > 0 ? [`the filters (${filters.join(', ')})`] : []), ...(query.exclude.length > 0 ? ['the exclusions (-word)'] : [])];
  const steps = [...(drops.length > 0 ? [`drop ${drops.join(' and ')}`] : []), ...(query.groups.length > 1 ? ['use fewer words'] : [])];
  // Not to a query that already joins alternatives with OR.
  const hasOr = query.groups.some((group) => group.length > 1);
  if (steps.length === 0) return hasOr ? 'Try other words.' : 'Try other words, or join alternatives with OR (`a OR b`).';
  return `Try a looser query: ${steps.join(', ')}${hasOr ? '.' : ', or join alternatives with OR.'}`;
}

function filterParts(query: Query): string[] {
  const parts = [
    ...query.authors.map((name) => `author:${quoteIfNeeded(name)}`),
    ...query.orgs.map((name) => `org:${quoteIfNeeded(name)}`),
  ];
  if (query.since) parts.push(`since:${query.since}`);
  if (query.minUpvotes !== undefined) parts.push(`min:${query.minUpvotes}`);
  parts.push(...(query.categories ?? []).map((category) => `cat:${category}`), ...(query.sources ?? []).map((source) => `source:${source}`));
  return parts;
}

function formatGroup(group: Term[]): string {
  return group.map(formatTerm).join(' OR ');
}

function formatTerm(term: Term): string {
  return term.kind === 'phrase' ? `"${term.text.replaceAll('"', '')}"` : term.text;
}

function quoteIfNeeded(text: string): string {
  return /\s/.test(text) ? `"${text.replaceAll('"', '')}"` : text;
}
