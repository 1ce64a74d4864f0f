import { firstSentences } from '../papers/clean-text.ts';
import { NO_FEED_DAY } from '../papers/no-feed-day.ts';
import { readJsonList } from '../papers/read-json-list.ts';
import type { PaperCard } from './message.ts';

/**
 * The stored paper columns a card shows (a store's PaperRow has them all). Spelled out here so
 * messages stay below the store that keeps them in its outbox.
 */
type CardPaper = {
  arxivId: string;
  title: string;
  abstract: string;
  authors: string;
  organization: string | null;
  publishedAt: number | null;
  upvotes: number;
  numComments: number | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  aiKeywords: string | null;
  thumbnail: string | null;
  latestFeedDate: string;
  categories: string;
  listedOnHf: boolean;
  listedOnArxiv: boolean;
};

/** The neutral card every platform renders. `full` adds the whole abstract and keywords (single-paper view). */
export function toPaperCard(row: CardPaper, options: { full?: boolean } = {}): PaperCard {
  const id = row.arxivId;
  const keywords = readJsonList(row.aiKeywords);
  const categories = readJsonList(row.categories);
  // Only arXiv knows it (listed it, or the arXiv API gave it with its categories on request):
  // Hugging Face has no page, thumbnail or upvotes for it yet. A paper fetched from Hugging Face
  // on request has none of its categories and is shown as Hugging Face shows it.
  const arxivOnly = !row.listedOnHf && (row.listedOnArxiv || categories.length > 0);
  return {
    id,
    title: row.title,
    url: arxivOnly ? `https://arxiv.org/abs/${id}` : `https://huggingface.co/papers/${id}`,
    arxivUrl: `https://arxiv.org/abs/${id}`,
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    thumbnailUrl: row.thumbnail ?? (arxivOnly ? null : `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`),
    authors: readJsonList(row.authors),
    organization: row.organization,
    upvotes: row.upvotes,
    comments: row.numComments,
    github: row.githubRepo ? { url: row.githubRepo, stars: row.githubStars } : null,
    projectPage: row.projectPage,
    summary: row.aiSummary ?? firstSentences(row.abstract, 2),
    ...(options.full ? { abstract: row.abstract } : {}),
    ...(options.full && keywords.length > 0 ? { keywords } : {}),
    // A paper fetched on demand has no feed day to show.
    feedDate: row.latestFeedDate === NO_FEED_DAY ? null : row.latestFeedDate,
    publishedAt: row.publishedAt === null ? null : new Date(row.publishedAt).toISOString(),
    ...(categories.length > 0 ? { categories } : {}),
    ...(arxivOnly ? { arxivOnly } : {}),
  };
}
