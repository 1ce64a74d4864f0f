import type { APIEmbed } from 'discord.js';
import { categoriesFact, formatAuthors, upvoteFact, type PaperCard } from '../../messages/message.ts';
import { clipWords, escapeText, fitText } from './escape-text.ts';
import { MAX_EMBED_DESCRIPTION, MAX_EMBED_TITLE, MAX_URL } from './limits.ts';
import { httpUrl } from '../../messages/http-url.ts';

// One paper, two ways: its own embed (rich: title links to the paper, thumbnail, summary) or an
// entry of a few markdown lines inside a shared embed (compact, when a message lists more papers
// than fit as embeds). Feed text is escaped; links are built here, never taken from the text.

export type CardLayout = {
  kind: 'rich' | 'compact';
  /** Characters of summary (or abstract) to show; 0 = none. */
  summaryMax: number;
  /** Characters of title to show. */
  titleMax: number;
  /** Show the authors line. */
  authors: boolean;
};

export const PAPER_COLOR = 0xffd21e;

/** An http(s) URL usable in an embed or a `[label](url)` link, or null. */
export function safeUrl(url: string | null | undefined): string | null {
  const parsed = httpUrl(url);
  if (parsed === null) return null;
  // A raw `)` or space would end a markdown link early.
  const href = parsed.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
  return href.length > MAX_URL ? null : href;
}

/** `[label](url)` with the label escaped (brackets too), or just the label when the URL is unusable. */
export function markdownLink(label: string, url: string | null | undefined): string {
  const text = escapeText(label).replace(/[[\]]/g, (char) => `\\${char}`);
  const href = safeUrl(url);
  return href ? `[${text}](${href})` : text;
}

function factsLine(card: PaperCard, withLinks: boolean): string {
  const facts = [upvoteFact(card)];
  if (card.comments !== null) facts.push(`💬 ${card.comments}`);
  const categories = categoriesFact(card);
  if (categories) facts.push(escapeText(categories));
  if (card.github) {
    const stars = card.github.stars === null ? '' : ` ★ ${card.github.stars}`;
    facts.push(`${markdownLink('GitHub', card.github.url)}${stars}`);
  }
  if (withLinks) {
    facts.push(markdownLink('arXiv', card.arxivUrl), markdownLink('PDF', card.pdfUrl));
    if (card.projectPage) facts.push(markdownLink('Project page', card.projectPage));
  }
  if (card.feedDate) facts.push(card.feedDate);
  return facts.join(' · ');
}

function authorsLine(card: PaperCard): string {
  if (card.authors.length === 0 && !card.organization) return '';
  const authors = formatAuthors(card.authors);
  const org = card.organization ? `${authors ? ' ' : ''}(${card.organization})` : '';
  return fitText(`${authors}${org}`, 300);
}

function matchLine(card: PaperCard): string {
  if (!card.match) return '';
  const terms = card.match.terms.length > 0 ? `: ${card.match.terms.join(', ')}` : '';
  return `Matched your watch ${fitText(`“${card.match.watch}”${terms}`, 300)}`;
}

function numberedTitle(card: PaperCard, position: number | undefined, max: number): string {
  const prefix = position === undefined ? '' : `${position}. `;
  return prefix + fitText(card.title, Math.max(1, max - prefix.length));
}

/** The paper as its own embed (rich layout). A card with an `abstract` (single-paper view) shows it instead of the summary. */
export function paperEmbed(card: PaperCard, layout: CardLayout, position?: number): APIEmbed {
  const lines = [factsLine(card, true)];
  if (layout.authors) lines.push(authorsLine(card));
  lines.push(matchLine(card));
  if (card.note) lines.push(fitText(card.note, 300));
  if (card.keywords && card.keywords.length > 0 && card.abstract) lines.push(`Keywords: ${fitText(card.keywords.join(', '), 300)}`);
  const head = lines.filter(Boolean).join('\n');
  const room = MAX_EMBED_DESCRIPTION - head.length - 2;
  const body = layout.summaryMax > 0 ? fitText(card.abstract ?? card.summary, Math.min(layout.summaryMax, room)) : '';
  const embed: APIEmbed = {
    title: numberedTitle(card, position, Math.min(layout.titleMax, MAX_EMBED_TITLE)),
    description: body ? `${head}\n\n${body}` : head,
    color: PAPER_COLOR,
  };
  const url = safeUrl(card.url);
  if (url) embed.url = url;
  const thumbnail = safeUrl(card.thumbnailUrl);
  if (thumbnail) embed.thumbnail = { url: thumbnail };
  return embed;
}

/** The paper as a few markdown lines (compact layout): linked bold title, facts, optional summary. */
export function paperEntry(card: PaperCard, layout: CardLayout, position?: number): string {
  const prefix = position === undefined ? '' : `${position}. `;
  const title = clipWords(card.title, Math.max(1, layout.titleMax - prefix.length));
  const lines = [`**${prefix}${markdownLink(title, card.url)}**`, factsLine(card, false)];
  if (layout.authors) lines.push(authorsLine(card));
  lines.push(matchLine(card));
  if (card.note) lines.push(fitText(card.note, 300));
  if (layout.summaryMax > 0) lines.push(fitText(card.summary, layout.summaryMax));
  return lines.filter(Boolean).join('\n');
}
