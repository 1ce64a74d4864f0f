import type { types } from '@slack/bolt';
import { categoriesFact, formatAuthors, upvoteFact, type PaperCard } from '../../messages/message.ts';
import type { Block } from './block-text.ts';
import { clip, escapeMrkdwn, mrkdwnLink, plainText, safeUrl } from './escape-mrkdwn.ts';
import { MAX_ALT_TEXT, MAX_CONTEXT_TEXT, MAX_IMAGE_URL, MAX_SECTION_TEXT } from './limits.ts';

/** Alt text counts toward the message's total text: a thumbnail needs no more than a short title. */
const ALT_TEXT_CHARS = Math.min(100, MAX_ALT_TEXT);

/**
 * rich: a section (title link, summary, thumbnail) and a context line (authors, numbers, links).
 * compact: one section holding all of it, for replies that must fit a single message.
 */
export type PaperLayout = { kind: 'rich' | 'compact'; summaryMax: number; images?: boolean };

/** The blocks of one paper card. `number` is its 1-based position in the list, when numbered. */
export function renderPaper(paper: PaperCard, layout: PaperLayout, number?: number): Block[] {
  const title = layout.kind === 'compact' ? clip(paper.title, 150) : paper.title;
  const heading = `*${number === undefined ? '' : `${number}. `}${mrkdwnLink(paper.url, title)}*`;
  const match = paper.match
    ? `:mag: Matched _${escapeMrkdwn(clip(paper.match.watch, 200))}_${paper.match.terms.length > 0 ? `: ${escapeMrkdwn(clip(paper.match.terms.join(', '), 300))}` : ''}`
    : '';
  const note = paper.note ? `_${escapeMrkdwn(clip(paper.note, 300))}_` : '';
  const byline = bylineOf(paper);
  const facts = factsOf(paper, layout.kind === 'rich');
  const image = layout.images === false ? undefined : thumbnail(paper);
  // The single-paper view carries the full abstract; a summary that only repeats its start is dropped.
  const full = layout.kind === 'rich' && paper.abstract !== undefined && paper.abstract !== '';
  const summarySource = full && paper.abstract?.startsWith(paper.summary.replace(/…$/, '')) ? '' : paper.summary || (paper.abstract ?? '');
  const summary = layout.summaryMax > 0 && summarySource ? escapeMrkdwn(clip(summarySource, layout.summaryMax)) : '';

  if (layout.kind === 'compact') {
    const lines = [heading, [byline && `_${byline}_`, facts].filter(Boolean).join(' · '), match, note, summary].filter(Boolean);
    return [section(lines.join('\n'), image)];
  }
  const blocks: Block[] = [section([heading, match, note, summary].filter(Boolean).join('\n'), image)];
  if (full && paper.abstract) {
    for (const chunk of chunkText(`*Abstract*\n${escapeMrkdwn(paper.abstract)}`)) blocks.push(section(chunk));
  }
  const context = [byline, facts].filter(Boolean).map((text) => ({ type: 'mrkdwn' as const, text: clip(text, MAX_CONTEXT_TEXT) }));
  if (context.length > 0) blocks.push({ type: 'context', elements: context });
  return blocks;
}

function bylineOf(paper: PaperCard): string {
  const authors = paper.authors.length > 0 ? escapeMrkdwn(clip(formatAuthors(paper.authors), 400)) : '';
  const org = paper.organization ? escapeMrkdwn(clip(paper.organization, 100)) : '';
  if (authors && org) return `${authors} (${org})`;
  return authors || org;
}

/** Upvotes, comments, GitHub; the rich layout adds the project page, arXiv and PDF links and the day. */
function factsOf(paper: PaperCard, all: boolean): string {
  const facts = [upvoteFact(paper)];
  if (paper.comments !== null) facts.push(`💬 ${paper.comments}`);
  const categories = categoriesFact(paper);
  if (categories) facts.push(escapeMrkdwn(categories));
  if (paper.github) facts.push(`${mrkdwnLink(paper.github.url, 'GitHub')}${paper.github.stars === null ? '' : ` ★ ${paper.github.stars}`}`);
  if (!all) return facts.join(' · ');
  if (paper.projectPage) facts.push(mrkdwnLink(paper.projectPage, 'Project page'));
  facts.push(mrkdwnLink(paper.arxivUrl, 'arXiv'), mrkdwnLink(paper.pdfUrl, 'PDF'));
  if (paper.feedDate) facts.push(paper.feedDate);
  return facts.join(' · ');
}

function thumbnail(paper: PaperCard): types.ImageElement | undefined {
  const url = safeUrl(paper.thumbnailUrl);
  // The image URL is not mrkdwn: use the plain parsed URL (no &amp;).
  if (!url || !paper.thumbnailUrl) return undefined;
  const raw = new URL(paper.thumbnailUrl.trim()).href;
  if (raw.length > MAX_IMAGE_URL) return undefined;
  return { type: 'image', image_url: raw, alt_text: clip(plainText(paper.title), ALT_TEXT_CHARS) };
}

export function section(text: string, accessory?: types.ImageElement | types.Button): types.SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clip(text, MAX_SECTION_TEXT) },
    ...(accessory ? { accessory } : {}),
  };
}

/** Splits (already escaped) text into pieces of at most `max` characters, at line or word breaks. */
export function chunkText(text: string, max = MAX_SECTION_TEXT): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (cut < max / 2) cut = max;
    // Never split inside an entity such as &amp;.
    const entity = /&[a-z]{0,4}$/.exec(rest.slice(0, cut));
    if (entity) cut = entity.index;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}
