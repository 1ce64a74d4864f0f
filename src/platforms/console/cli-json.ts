import { toFeedDate } from '../../clock.ts';
import type { Message, PaperCard } from '../../messages/message.ts';

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

/** A whole message (digest preview): what it says, and its papers in the flat shape. */
export function messageJson(message: Message): Record<string, unknown> {
  return {
    kind: message.kind,
    title: message.title ?? null,
    text: message.text,
    papers: message.papers.map(paperJson),
    fields: message.fields,
    footer: message.footer ?? null,
  };
}

/** `watch list|add|remove --json`: a watch as its owner numbers it; `since` = the day it was added (UTC). */
export type WatchJson = { number: number; query: string; since: string };

export function watchJson(row: { query: string; createdAt: number }, number: number): WatchJson {
  return { number, query: row.query, since: toFeedDate(new Date(row.createdAt)) };
}
