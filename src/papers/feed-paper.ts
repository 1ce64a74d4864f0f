/** A paper as normalised from one feed item: clean text, absolute URLs, nothing platform-specific. */
export type FeedPaper = {
  /** Bare arXiv id (string, never a number). */
  arxivId: string;
  title: string;
  abstract: string;
  /** Visible author names, in order (hidden authors dropped). */
  authors: string[];
  organization: string | null;
  /** arXiv published time, epoch ms. */
  publishedAt: number | null;
  upvotes: number;
  /** null when the feed did not say. */
  numComments: number | null;
  githubRepo: string | null;
  /** null when the feed did not say; never defaulted to 0. */
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  aiKeywords: string[] | null;
  thumbnail: string | null;
};
