import { embedLength, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { Message, PaperCard } from '../../messages/message.ts';
import { paperPosition } from '../../messages/message.ts';
import { clipWords, codeBlock, escapeCommandText, fitText } from './escape-text.ts';
import {
  MAX_EMBED_DESCRIPTION,
  MAX_EMBED_FIELDS,
  MAX_EMBED_TITLE,
  MAX_EMBED_TOTAL,
  MAX_EMBEDS,
  MAX_FIELD_NAME,
  MAX_FIELD_VALUE,
  MAX_FOOTER_TEXT,
} from './limits.ts';
import { cardRows } from './card-buttons.ts';
import { pagingRow } from './paging-buttons.ts';
import { markdownLink, PAPER_COLOR, paperEmbed, paperEntry, safeUrl, type CardLayout } from './render-paper.ts';

/** One Discord message body, within every limit in limits.ts. Mentions are disabled where it is sent. */
type RenderedMessage = {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
};

const colors: Record<Message['kind'], number> = {
  text: 0x5865f2,
  error: 0xed4245,
  list: PAPER_COLOR,
  paper: PAPER_COLOR,
  digest: PAPER_COLOR,
  alert: 0x57f287,
  status: 0x5865f2,
  help: 0x5865f2,
};

// Tried in order until the whole message fits in 6000 characters: one embed per paper while
// there are few enough papers, then a few lines per paper in shared embeds.
const fullLayout: CardLayout = { kind: 'rich', summaryMax: 3500, titleMax: MAX_EMBED_TITLE, authors: true };
const richLayouts: CardLayout[] = [
  { kind: 'rich', summaryMax: 700, titleMax: MAX_EMBED_TITLE, authors: true },
  { kind: 'rich', summaryMax: 350, titleMax: MAX_EMBED_TITLE, authors: true },
  { kind: 'rich', summaryMax: 150, titleMax: 200, authors: false },
];
const compactLayouts: CardLayout[] = [
  { kind: 'compact', summaryMax: 300, titleMax: 200, authors: true },
  { kind: 'compact', summaryMax: 150, titleMax: 150, authors: false },
  { kind: 'compact', summaryMax: 60, titleMax: 120, authors: false },
  { kind: 'compact', summaryMax: 0, titleMax: 100, authors: false },
  { kind: 'compact', summaryMax: 0, titleMax: 60, authors: false },
];

function totalEmbedLength(embeds: APIEmbed[]): number {
  return embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
}

function fits(embeds: APIEmbed[]): boolean {
  return embeds.length <= MAX_EMBEDS && totalEmbedLength(embeds) <= MAX_EMBED_TOTAL;
}

/** Renders the neutral message as embeds (+ paging buttons): one message, trimmed to fit. */
export function renderEmbeds(msg: Message): RenderedMessage {
  const paging = pagingRow(msg.paging);
  const components = [...cardRows(msg, paging.length), ...paging];
  const papers = msg.papers;
  const headed = hasHeader(msg);
  const richRoom = MAX_EMBEDS - (headed ? 1 : 0);
  const layouts = [
    ...(papers.length === 1 && papers[0]?.abstract ? [fullLayout] : []),
    ...(papers.length <= richRoom ? richLayouts : []),
    ...compactLayouts,
  ];
  const header = headed ? headerParts(msg) : null;
  for (const layout of layouts) {
    const embeds = buildEmbeds(msg, header, layout, papers, 0);
    if (fits(embeds)) return { embeds, components };
  }
  // Still too long (very long titles, many fields): show fewer papers and say so.
  const last = compactLayouts[compactLayouts.length - 1] ?? { kind: 'compact', summaryMax: 0, titleMax: 60, authors: false };
  for (let keep = papers.length - 1; keep >= 0; keep -= 1) {
    const embeds = buildEmbeds(msg, header, last, papers.slice(0, keep), papers.length - keep);
    if (fits(embeds)) return { embeds, components };
  }
  return { embeds: forceFit(buildEmbeds(msg, header, last, [], papers.length)), components };
}

function hasHeader(msg: Message): boolean {
  const paperView = msg.kind === 'paper' && msg.papers.length === 1;
  return Boolean((msg.title && !paperView) || msg.text || msg.code || msg.fields.length > 0 || msg.more || msg.papers.length === 0);
}

function buildEmbeds(msg: Message, header: HeaderParts | null, layout: CardLayout, papers: PaperCard[], hidden: number): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  if (header) embeds.push(headerEmbed(header, hidden));
  const positions = papers.map((_, i) => (numbered(msg) ? paperPosition(msg, i) : undefined));
  if (layout.kind === 'rich') {
    papers.forEach((card, i) => embeds.push(paperEmbed(card, layout, positions[i])));
  } else {
    for (const description of packEntries(papers.map((card, i) => paperEntry(card, layout, positions[i])))) {
      embeds.push({ description, color: colors[msg.kind] });
    }
  }
  if (embeds.length === 0) embeds.push({ description: '(nothing to show)', color: colors[msg.kind] });
  const footer = footerText(msg);
  const lastEmbed = embeds[embeds.length - 1];
  if (footer && lastEmbed) lastEmbed.footer = { text: footer };
  return embeds;
}

/** The header embed's pieces, escaped and fitted once per message (escaping long text is not free). */
type HeaderParts = { embed: APIEmbed; text: string; more: string };

/** Room kept in the header's description for the "N more papers do not fit" note. */
const HIDDEN_NOTE_RESERVE = 80;

function headerParts(msg: Message): HeaderParts {
  const embed: APIEmbed = { color: colors[msg.kind] };
  const paperView = msg.kind === 'paper' && msg.papers.length === 1;
  if (msg.title && !paperView) {
    embed.title = fitText(msg.title, MAX_EMBED_TITLE, escapeCommandText);
    const url = safeUrl(msg.titleUrl);
    if (url) embed.url = url;
  }
  if (msg.fields.length > 0) embed.fields = fieldsOf(msg.fields);
  const more = msg.more ? `…and ${msg.more.count} more: ${markdownLink('see them all on Hugging Face', msg.more.url)}` : '';
  const room = MAX_EMBED_DESCRIPTION - more.length - HIDDEN_NOTE_RESERVE - 4;
  const render = msg.kind === 'help' ? codeBlock : escapeCommandText;
  const code = msg.code ? codeBlock(fitCode(msg.code, room - 200)) : '';
  const text = [msg.text ? fitText(msg.text, room - code.length, render) : '', code].filter(Boolean).join('\n');
  return { embed, text, more };
}

/** Verbatim text cut at a line to at most `max` characters (a code block is never escaped, only fenced). */
function fitCode(code: string, max: number): string {
  if (code.length <= max) return code;
  const cut = code.lastIndexOf('\n', max - 2);
  return `${code.slice(0, cut > 0 ? cut : max - 2)}\n…`;
}

function headerEmbed(parts: HeaderParts, hidden: number): APIEmbed {
  const embed: APIEmbed = { ...parts.embed, ...(parts.embed.fields ? { fields: [...parts.embed.fields] } : {}) };
  const note = hidden > 0 ? `${hidden} more ${hidden === 1 ? 'paper does' : 'papers do'} not fit into one Discord message.` : '';
  const description = [parts.text, [parts.more, note].filter(Boolean).join('\n')].filter(Boolean).join('\n\n');
  if (description) embed.description = description;
  if (!embed.title && !embed.description && !embed.fields) embed.description = '(nothing to show)';
  return embed;
}

function fieldsOf(fields: Message['fields']): NonNullable<APIEmbed['fields']> {
  const shown = fields.length > MAX_EMBED_FIELDS ? fields.slice(0, MAX_EMBED_FIELDS - 1) : fields;
  const out = shown.map((field) => ({
    // Discord refuses empty names and values.
    name: fitText(field.name, MAX_FIELD_NAME, escapeCommandText) || '\u200b',
    value: fitText(field.value, MAX_FIELD_VALUE, escapeCommandText) || '—',
  }));
  if (fields.length > shown.length) out.push({ name: '…', value: `${fields.length - shown.length} more not shown` });
  return out;
}

/** Entries joined into as few descriptions (≤ 4096 characters each) as possible. */
function packEntries(entries: string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const entry of entries) {
    const piece = entry.length > MAX_EMBED_DESCRIPTION ? clipWords(entry, MAX_EMBED_DESCRIPTION) : entry;
    if (current && current.length + 2 + piece.length > MAX_EMBED_DESCRIPTION) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${piece}` : piece;
  }
  if (current) out.push(current);
  return out;
}

/** Embed footers show no markdown: the plain footer, without the backticks commands use for code. */
function footerText(msg: Message): string {
  const parts: string[] = [];
  if (msg.footer) parts.push(msg.footer.replace(/`/g, ''));
  if (msg.paging && msg.paging.pageCount > 1) parts.push(`Page ${msg.paging.page + 1} of ${msg.paging.pageCount} · ${msg.paging.total} in all`);
  return clipWords(parts.join('\n'), MAX_FOOTER_TEXT);
}

function numbered(msg: Message): boolean {
  return msg.papers.length > 1 || msg.paging !== undefined;
}


/** Last resort when even the header alone is too long: drop fields from the end, then cut descriptions. */
function forceFit(embeds: APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, MAX_EMBEDS).map((embed) => ({ ...embed, fields: embed.fields ? [...embed.fields] : undefined }));
  for (const embed of [...out].reverse()) {
    while (embed.fields && embed.fields.length > 0 && totalEmbedLength(out) > MAX_EMBED_TOTAL) embed.fields.pop();
  }
  for (const embed of [...out].reverse()) {
    const over = totalEmbedLength(out) - MAX_EMBED_TOTAL;
    if (over <= 0) break;
    if (embed.description) embed.description = clipWords(embed.description, Math.max(1, embed.description.length - over));
  }
  return out;
}
