import type { FeedPaper } from '../feed/feed-paper.ts';
import type { PaperRow } from './store.ts';

/**
 * The optional paper columns a feed item fills, as both backends store them (lists as JSON).
 * A value the feed omits on a later fetch is left out, so it never erases a known one.
 */
export function knownFacts(paper: FeedPaper): Partial<PaperRow> {
  const facts: Partial<PaperRow> = {};
  if (paper.abstract) facts.abstract = paper.abstract;
  if (paper.authors.length > 0) facts.authors = JSON.stringify(paper.authors);
  if (paper.organization !== null) facts.organization = paper.organization;
  if (paper.publishedAt !== null) facts.publishedAt = paper.publishedAt;
  if (paper.numComments !== null) facts.numComments = paper.numComments;
  if (paper.githubRepo !== null) facts.githubRepo = paper.githubRepo;
  if (paper.githubStars !== null) facts.githubStars = paper.githubStars;
  if (paper.projectPage !== null) facts.projectPage = paper.projectPage;
  if (paper.aiSummary !== null) facts.aiSummary = paper.aiSummary;
  if (paper.aiKeywords !== null) facts.aiKeywords = JSON.stringify(paper.aiKeywords);
  if (paper.thumbnail !== null) facts.thumbnail = paper.thumbnail;
  return facts;
}
