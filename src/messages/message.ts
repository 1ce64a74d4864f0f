import { z } from 'zod';
import { httpUrl } from './http-url.ts';
import { clipWords, PLAIN_TEXT_WIDTH, wrapBlock, wrapWords } from './wrap-text.ts';

// The one platform-neutral message model. Core code builds these; each adapter renders them
// (Discord embeds, Slack blocks, console text). All strings are PLAIN text: adapters escape
// them for their markup and disable mentions. Links travel as separate fields, never inline.

const PaperCardSchema = z.object({
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
  /** arXiv categories, primary first, when arXiv listed the paper. */
  categories: z.array(z.string()).optional(),
  /** One plain line about the paper in this list: trending's gain, similar's shared terms. */
  note: z.string().optional(),
  /** True for a paper only arXiv listed: no Hugging Face page or upvotes yet (`url` is then arXiv's). */
  arxivOnly: z.boolean().optional(),
});

/** The first fact of a card: its upvotes, or `arXiv` for a paper Hugging Face has not listed (0 upvotes would mislead). */
export function upvoteFact(card: Pick<PaperCard, 'upvotes' | 'arxivOnly'>, long = false): string {
  if (card.arxivOnly) return long ? 'listed on arXiv only' : 'arXiv';
  return long ? `▲ ${card.upvotes} upvote${card.upvotes === 1 ? '' : 's'}` : `▲ ${card.upvotes}`;
}

/** `cs.CL, cs.LG` (primary first), or null when arXiv has not listed the paper. */
export function categoriesFact(card: Pick<PaperCard, 'categories'>): string | null {
  return card.categories && card.categories.length > 0 ? card.categories.slice(0, 6).join(', ') : null;
}
export type PaperCard = z.infer<typeof PaperCardSchema>;

const PagingSchema = z.object({
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
  /** Verbatim text (a BibTeX file): a code block on chat platforms, as it is in plain text. */
  code: z.string().optional(),
  /** A text file attached to the reply where the platform allows it (Discord); others show `code` instead. */
  attachment: z.object({ name: z.string(), text: z.string() }).optional(),
  /**
   * Buttons under each card (Discord, Slack). Left out: lists, papers, digests and alerts get
   * Save and Similar (defaultCardActions); [] shows none.
   */
  cardActions: z.array(z.enum(['save', 'similar', 'remove'])).optional(),
});
export type Message = z.infer<typeof MessageSchema>;
export type CardAction = 'save' | 'similar' | 'remove';

/** The buttons under each of the message's cards (reading-list and similar papers). */
export function cardActionsOf(msg: Message): CardAction[] {
  if (msg.cardActions) return msg.cardActions;
  return msg.papers.length > 0 && ['list', 'paper', 'digest', 'alert'].includes(msg.kind) ? ['save', 'similar'] : [];
}
type MessageInput = z.input<typeof MessageSchema>;

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

/**
 * Plain-text rendering shared by the console adapter and every platform's `text` fallback:
 * blocks separated by one blank line, wrapped at `width` columns (URLs stay whole).
 */
export function renderPlainText(msg: Message, width = PLAIN_TEXT_WIDTH): string {
  const [only] = msg.papers;
  const blocks: string[] = [];
  const text = msg.text ? wrapBlock(msg.text, width) : '';
  if (msg.kind === 'paper' && only && msg.papers.length === 1) {
    blocks.push(...paperDetail(only, width), text);
  } else {
    if (msg.title) blocks.push(wrapBlock(msg.title, width));
    blocks.push(text);
    msg.papers.forEach((paper, i) => blocks.push(paperItem(paper, paperPosition(msg, i), width)));
  }
  blocks.push(...fieldBlocks(msg.fields, width));
  if (msg.code) blocks.push(msg.code.trimEnd());
  if (msg.more) blocks.push(`…and ${msg.more.count} more: ${msg.more.url}`);
  if (msg.paging && msg.paging.pageCount > 1) blocks.push(`Page ${msg.paging.page + 1} of ${msg.paging.pageCount}`);
  if (msg.footer) blocks.push(wrapBlock(msg.footer, width));
  return blocks
    .filter((block) => block.trim() !== '')
    .join('\n\n')
    .trim();
}

/**
 * Key/value rows: consecutive one-line values stay together as `name: value` lines; a list value
 * (several lines, or bullets) goes under its name, as a block of its own.
 */
function fieldBlocks(fields: Message['fields'], width: number): string[] {
  const blocks: string[] = [];
  let rows: string[] = [];
  for (const field of fields) {
    if (!field.value.includes('\n') && !field.value.startsWith('• ')) {
      rows.push(...wrapWords(`${field.name}: ${field.value}`, width, '', '  '));
      continue;
    }
    blocks.push(rows.join('\n'), `${field.name}:\n${wrapBlock(field.value, width)}`);
    rows = [];
  }
  blocks.push(rows.join('\n'));
  return blocks;
}

const indent = '   ';
// A list shows a summary of a few lines; the single-paper view shows the whole abstract.
const maxListSummary = 400;

function paperItem(paper: PaperCard, position: number, width: number): string {
  const lines = wrapWords(`${position}. ${paper.title} [${paper.id}]`, width, '', indent);
  const facts = [upvoteFact(paper)];
  if (paper.comments !== null) facts.push(`💬 ${paper.comments}`);
  const categories = categoriesFact(paper);
  if (categories) facts.push(categories);
  if (paper.github) facts.push(`GitHub ${paper.github.url}${paper.github.stars === null ? '' : ` ★ ${paper.github.stars}`}`);
  if (paper.feedDate) facts.push(paper.feedDate);
  lines.push(...wrapWords(facts.join(' · '), width, indent));
  if (paper.authors.length > 0) lines.push(...wrapWords(byline(paper, 4), width, indent));
  if (paper.match) lines.push(...wrapWords(`matched "${paper.match.watch}": ${paper.match.terms.join(', ')}`, width, indent));
  if (paper.note) lines.push(...wrapWords(paper.note, width, indent));
  lines.push(...wrapWords(clipWords(paper.abstract ?? paper.summary, maxListSummary), width, indent));
  lines.push(`${indent}${paper.url}`);
  return lines.join('\n');
}

/** `/papers paper`: the heading, the whole abstract, then every link. */
function paperDetail(paper: PaperCard, width: number): string[] {
  const head = wrapWords(`${paper.title} [${paper.id}]`, width);
  const facts = [upvoteFact(paper, true)];
  if (paper.comments !== null) facts.push(`💬 ${paper.comments} comment${paper.comments === 1 ? '' : 's'}`);
  const categories = categoriesFact(paper);
  if (categories) facts.push(categories);
  if (paper.feedDate) facts.push(`feed day ${paper.feedDate}`);
  if (paper.publishedAt) facts.push(`published ${paper.publishedAt.slice(0, 10)}`);
  head.push(facts.join(' · '));
  if (paper.authors.length > 0) head.push(...wrapWords(byline(paper, 30), width));
  const links: Array<[string, string | null]> = [
    ['Hugging Face', paper.arxivOnly ? null : httpUrl(paper.url)],
    ['arXiv', httpUrl(paper.arxivUrl)],
    ['PDF', httpUrl(paper.pdfUrl)],
    ['GitHub', withStars(httpUrl(paper.github?.url), paper.github?.stars)],
    ['Project page', httpUrl(paper.projectPage)],
  ];
  const tail = paper.keywords?.length ? wrapWords(`Keywords: ${paper.keywords.join(', ')}`, width, '', '  ') : [];
  for (const [name, url] of links) if (url) tail.push(`${name.padEnd(12)}  ${url}`);
  return [head.join('\n'), wrapWords(paper.abstract ?? paper.summary, width).join('\n'), tail.join('\n')];
}

function withStars(url: string | null, stars: number | null | undefined): string | null {
  return url && (stars == null ? url : `${url} (★ ${stars})`);
}

function byline(paper: PaperCard, maxAuthors: number): string {
  return `${formatAuthors(paper.authors, maxAuthors)}${paper.organization ? ` (${paper.organization})` : ''}`;
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
