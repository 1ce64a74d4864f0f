/** One paper as arXiv describes it (RSS item or API entry), text cleaned, id without version. */
export type ArxivPaper = {
  arxivId: string;
  /** 3 for `2203.01250v3`; null when arXiv did not say. */
  version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  /** Primary first. */
  categories: string[];
  /** epoch ms, when known (the API's `published`). */
  publishedAt: number | null;
};

export const announceTypes = ['new', 'cross', 'replace', 'replace-cross'] as const;
type AnnounceType = (typeof announceTypes)[number];

/** An RSS item: `new` and `cross` add a paper, `replace` and `replace-cross` revise one. */
export type ArxivItem = ArxivPaper & { announceType: AnnounceType };

export function isRevision(type: AnnounceType): boolean {
  return type === 'replace' || type === 'replace-cross';
}

/** A stored paper's categories and a listing's, merged: the stored order (primary first) kept, new ones appended. */
export function mergeCategories(stored: string[], listed: string[]): string[] {
  const seen = new Set(stored.map((c) => c.toLowerCase()));
  return [...stored, ...listed.filter((c) => !seen.has(c.toLowerCase()) && seen.add(c.toLowerCase()))];
}

/** papers.categories as stored (a JSON array); anything else reads as none. */
export function readCategories(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}
