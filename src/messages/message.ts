import { z } from 'zod';

// The one platform-neutral message model. Core code builds these; each adapter renders them
// (Discord embeds, Slack blocks, console text). All strings are PLAIN text: adapters escape
// them for their markup and disable mentions. Links travel as separate fields, never inline.

export const PaperCardSchema = z.object({
  /** arXiv id. */
  id: z.string(),
  title: z.string(),
  /** https://huggingface.co/papers/{id} */
  url: z.string(),
  arxivUrl: z.string(),
  pdfUrl: z.string(),
  thumbnailUrl: z.string().nullable(),
  authors: z.array(z.string()),
  organization: z.string().nullable(),
  upvotes: z.number(),
  /** null = unknown (the feed did not say). */
  comments: z.number().nullable(),
  github: z.object({ url: z.string(), stars: z.number().nullable() }).nullable(),
  projectPage: z.string().nullable(),
  /** AI summary, else the abstract's first sentences. */
  summary: z.string(),
  /** Full abstract: only on the single-paper view. */
  abstract: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  /** Feed day the paper appeared on (latest). */
  feedDate: z.string().nullable(),
  /** arXiv publication time, ISO. */
  publishedAt: z.string().nullable(),
  /** Alerts: which watch matched and the matched terms (from FTS5 highlight). */
  match: z.object({ watch: z.string(), terms: z.array(z.string()) }).optional(),
  /** Search results: the blended ranking score (higher is better), for `--json` consumers. */
  score: z.number().optional(),
});
export type PaperCard = z.infer<typeof PaperCardSchema>;

export const PagingSchema = z.object({
  /** page_cursors.id: the buttons carry it, so paging survives a restart. */
  cursor: z.string(),
  /** 0-based. */
  page: z.number().int(),
  pageCount: z.number().int(),
  total: z.number().int(),
});
export type Paging = z.infer<typeof PagingSchema>;

export const MessageSchema = z.object({
  kind: z.enum(['text', 'error', 'list', 'paper', 'digest', 'alert', 'status', 'help']),
  /** private = only the invoking user sees it (ephemeral on Discord and Slack). */
  visibility: z.enum(['public', 'private']),
  /** Heading line, e.g. "Top papers for 2026-09-01". */
  title: z.string().optional(),
  /** Link for the heading, e.g. the HF daily page of that day. */
  titleUrl: z.string().optional(),
  /** Plain paragraphs shown above the cards. Also the whole content of text/error replies. */
  text: z.string(),
  papers: z.array(PaperCardSchema).default([]),
  /** Key/value rows (status, digest config). */
  fields: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
  /** Small print under everything. */
  footer: z.string().optional(),
  /** "and 12 more" link after the cards of a digest. */
  more: z.object({ count: z.number().int(), url: z.string() }).optional(),
  paging: PagingSchema.optional(),
});
export type Message = z.infer<typeof MessageSchema>;
export type MessageInput = z.input<typeof MessageSchema>;

/** Builds a message with defaults filled (papers/fields empty). */
export function message(input: MessageInput): Message {
  return MessageSchema.parse(input);
}

export function textMessage(text: string, visibility: Message['visibility'] = 'public'): Message {
  return message({ kind: 'text', visibility, text });
}

export function errorMessage(text: string): Message {
  return message({ kind: 'error', visibility: 'private', text });
}

/** Plain-text rendering shared by the console adapter and every platform's `text` fallback. */
export function renderPlainText(msg: Message): string {
  const lines: string[] = [];
  if (msg.title) lines.push(msg.title, '');
  if (msg.text) lines.push(msg.text);
  msg.papers.forEach((paper, i) => {
    lines.push('');
    lines.push(`${paperPosition(msg, i)}. ${paper.title} [${paper.id}]`);
    const facts = [`▲ ${paper.upvotes}`];
    if (paper.comments !== null) facts.push(`💬 ${paper.comments}`);
    if (paper.github) facts.push(`GitHub ${paper.github.url}${paper.github.stars === null ? '' : ` ★ ${paper.github.stars}`}`);
    if (paper.feedDate) facts.push(paper.feedDate);
    lines.push(`   ${facts.join(' · ')}`);
    if (paper.authors.length > 0) lines.push(`   ${formatAuthors(paper.authors)}${paper.organization ? ` (${paper.organization})` : ''}`);
    if (paper.match) lines.push(`   matched "${paper.match.watch}": ${paper.match.terms.join(', ')}`);
    lines.push(`   ${paper.abstract ?? paper.summary}`);
    lines.push(`   ${paper.url}`);
  });
  for (const field of msg.fields) lines.push(`${field.name}: ${field.value}`);
  if (msg.more) lines.push('', `…and ${msg.more.count} more: ${msg.more.url}`);
  if (msg.paging && msg.paging.pageCount > 1) lines.push('', `Page ${msg.paging.page + 1} of ${msg.paging.pageCount}`);
  if (msg.footer) lines.push('', msg.footer);
  return lines.join('\n').trim();
}

/**
 * 1-based position of the i-th card in the whole list. Pages are full except the last, so the
 * last page counts back from the total (8 results, page 2 of 2 with 3 cards → 6, 7, 8).
 */
export function paperPosition(msg: Message, i: number): number {
  const paging = msg.paging;
  if (!paging || paging.page === 0) return i + 1;
  if (paging.page === paging.pageCount - 1) return paging.total - msg.papers.length + i + 1;
  return paging.page * msg.papers.length + i + 1;
}

export function formatAuthors(authors: string[], max = 4): string {
  if (authors.length <= max) return authors.join(', ');
  return `${authors.slice(0, max).join(', ')} +${authors.length - max} more`;
}
