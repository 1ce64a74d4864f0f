// arXiv category names (https://arxiv.org/category_taxonomy): an archive (`cs`, `astro-ph`,
// `q-bio`) or archive.SUBJECT (`cs.CL`, `math.OC`, `physics.atom-ph`, `cond-mat.mes-hall`).
// arXiv spells them with mixed case; we compare them case-insensitively everywhere.

const CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[a-z]+(?:-[a-z]+)*)?$/i;

export function isArxivCategory(text: string): boolean {
  return text.length <= 40 && CATEGORY.test(text);
}

/** A set of categories as one text (lower case, sorted, comma-joined): what a poll asked arXiv for. */
export function categoriesKey(categories: string[]): string {
  return [...new Set(categories.map((c) => c.toLowerCase()))].sort().join(',');
}

/** Does a paper's category `category` fall under `filter` (the same category, or its whole archive)? */
export function categoryMatches(filter: string, category: string): boolean {
  const f = filter.toLowerCase();
  const c = category.toLowerCase();
  return f.includes('.') ? c === f : c === f || c.startsWith(`${f}.`);
}
