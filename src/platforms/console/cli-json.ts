import { previewWouldPost, type DigestPreviewData } from '../../../commands/digest-preview-data.ts';
import { toFeedDate } from '../../clock.ts';
import type { ExclusionReason } from '../../digest/select-digest.ts';
import type { PaperCard } from '../../messages/message.ts';
import { toPaperCard } from '../../messages/paper-card.ts';

// `--json` shapes: stable, flat, documented in the README. `date` is the feed day.

export type PaperJson = {
  id: string;
  title: string;
  url: string;
  arxivUrl: string;
  pdfUrl: string;
  date: string | null;
  upvotes: number;
  comments: number | null;
  authors: string[];
  organization: string | null;
  github: { url: string; stars: number | null } | null;
  projectPage: string | null;
  summary: string;
  publishedAt: string | null;
  thumbnailUrl: string | null;
  score?: number;
  abstract?: string;
  keywords?: string[];
};

export function paperJson(card: PaperCard): PaperJson {
  return {
    id: card.id,
    title: card.title,
    url: card.url,
    arxivUrl: card.arxivUrl,
    pdfUrl: card.pdfUrl,
    date: card.feedDate,
    upvotes: card.upvotes,
    comments: card.comments,
    authors: card.authors,
    organization: card.organization,
    github: card.github,
    projectPage: card.projectPage,
    summary: card.summary,
    publishedAt: card.publishedAt,
    thumbnailUrl: card.thumbnailUrl,
    ...(card.score !== undefined ? { score: card.score } : {}),
    ...(card.abstract !== undefined ? { abstract: card.abstract } : {}),
    ...(card.keywords !== undefined ? { keywords: card.keywords } : {}),
  };
}

/** `digest preview --json`: what the digest would post for the day, and every paper it leaves out and why. */
type DigestPreviewJson = {
  channel: { platform: string; id: string };
  /** The digest's settings; `saved: false` when the channel has none and these are the defaults. */
  settings: { saved: boolean; time: string; timezone: string; top: number; minUpvotes: number; query: string; postWhenEmpty: boolean; source: string };
  /** Feed days previewed (none for an arXiv digest). */
  feedDates: string[];
  /** The arXiv announcement previewed (source arxiv or all). */
  announcement?: string;
  /** False when nothing would be posted: no paper passes and no empty-day note, or the day was never fetched. */
  wouldPost: boolean;
  note?: string;
  papers: PaperJson[];
  leftOut: Array<{ paper: PaperJson; reason: ExclusionReason }>;
};

export function digestPreviewJson(data: DigestPreviewData): DigestPreviewJson {
  const { digest } = data;
  const notes = [...data.notes, ...(data.unavailable === undefined ? [] : [data.unavailable])];
  return {
    channel: { platform: digest.platform, id: digest.channelId },
    settings: {
      saved: data.saved,
      time: digest.time,
      timezone: digest.timezone,
      top: digest.top,
      minUpvotes: digest.minUpvotes,
      query: digest.query,
      postWhenEmpty: digest.postWhenEmpty,
      source: digest.source,
    },
    feedDates: data.feedDates,
    ...(data.announcement === undefined ? {} : { announcement: data.announcement }),
    wouldPost: previewWouldPost(data),
    ...(notes.length > 0 ? { note: notes.join('\n') } : {}),
    papers: data.selection.included.map((paper) => paperJson(toPaperCard(paper))),
    leftOut: data.selection.excluded.map((entry) => ({ paper: paperJson(toPaperCard(entry.paper)), reason: entry.reason })),
  };
}

/**
 * `watch list|add|remove --json`: a watch as its owner numbers it; `since` = the day it was added
 * (UTC); `artifacts`: whether code and models released for its alerted papers are announced.
 */
type WatchJson = { number: number; query: string; since: string; artifacts: boolean };

export function watchJson(row: { query: string; createdAt: number; artifacts: boolean }, number: number): WatchJson {
  return { number, query: row.query, since: toFeedDate(row.createdAt), artifacts: row.artifacts };
}
