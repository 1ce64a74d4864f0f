import type { PaperRow, Store } from '../store/store.ts';
import { rankTrending, type TrendingScore } from './rank-trending.ts';
import { windowMs, type TrendingWindow } from './windows.ts';

type TrendingPaper = { paper: PaperRow; trend: TrendingScore };

/** Every stored paper that gained upvotes in the window, fastest first. */
export async function trendingPapers(store: Store, window: TrendingWindow, now: number): Promise<TrendingPaper[]> {
  const history = await store.upvoteHistory(now - windowMs(window));
  const papers = await store.getPapersByIds([...new Set(history.map((snapshot) => snapshot.paperId))]);
  return withPapers(rankTrending(papers, history, window, now), papers);
}

/**
 * `papers` ordered by velocity over the window (`today sort:rising`, a digest's `sort=rising`):
 * those that gained upvotes first, fastest first, then the rest by upvotes as given.
 */
export async function sortRising(store: Store, papers: PaperRow[], window: TrendingWindow, now: number): Promise<PaperRow[]> {
  if (papers.length === 0) return [];
  const history = await store.upvoteHistory(now - windowMs(window), papers.map((paper) => paper.id));
  const ranked = rankTrending(papers, history, window, now);
  const rising = withPapers(ranked, papers).map((entry) => entry.paper);
  const seen = new Set(rising.map((paper) => paper.id));
  return [...rising, ...papers.filter((paper) => !seen.has(paper.id))];
}

function withPapers(ranked: TrendingScore[], papers: PaperRow[]): TrendingPaper[] {
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  return ranked.flatMap((trend) => {
    const paper = byId.get(trend.paperId);
    return paper ? [{ paper, trend }] : [];
  });
}
