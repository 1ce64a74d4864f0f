import { parseQuery } from '../search/parse-query.ts';

/**
 * The arXiv page an arXiv digest's "…and N more" links to: the new submissions of the category
 * the digest's query names (`cat:cs.CL`, spelled as ARXIV_CATEGORIES spells it when listed
 * there), else of the first configured category; a whole archive (`cs`) has its page too.
 */
export function arxivListUrl(query: string, categories: readonly string[]): string {
  const named = parseQuery(query).categories?.[0];
  const configured = named === undefined ? undefined : categories.find((category) => category.toLowerCase() === named.toLowerCase());
  const category = configured ?? named ?? categories[0] ?? 'cs';
  return `https://arxiv.org/list/${category}/new`;
}
