import { embedLength, type APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { message, type PaperCard } from '../../../src/messages/message.ts';
import { clipWords, escapeCommandText, escapeText, fitText } from '../../../src/platforms/discord/escape-text.ts';
import {
  MAX_EMBED_DESCRIPTION,
  MAX_EMBED_TITLE,
  MAX_EMBED_TOTAL,
  MAX_EMBEDS,
  MAX_FIELD_NAME,
  MAX_FIELD_VALUE,
  MAX_FOOTER_TEXT,
  MAX_EMBED_FIELDS,
} from '../../../src/platforms/discord/limits.ts';
import { pagingRow, parsePageCustomId } from '../../../src/platforms/discord/paging-buttons.ts';
import { renderEmbeds } from '../../../src/platforms/discord/render-embeds.ts';

let counter = 0;
function aCard(overrides: Partial<PaperCard> = {}): PaperCard {
  counter += 1;
  const id = `2609.${String(20000 + counter)}`;
  return {
    id,
    title: `Paper number ${counter}`,
    url: `https://huggingface.co/papers/${id}`,
    arxivUrl: `https://arxiv.org/abs/${id}`,
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    thumbnailUrl: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    organization: null,
    upvotes: 10,
    comments: 2,
    github: null,
    projectPage: null,
    summary: 'A short summary.',
    feedDate: '2026-09-01',
    publishedAt: null,
    ...overrides,
  };
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

function expectWithinLimits(embeds: APIEmbed[]): void {
  expect(embeds.length).toBeGreaterThan(0);
  expect(embeds.length).toBeLessThanOrEqual(MAX_EMBEDS);
  expect(embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(MAX_EMBED_TOTAL);
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(MAX_EMBED_TITLE);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(MAX_EMBED_DESCRIPTION);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(MAX_FOOTER_TEXT);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(MAX_EMBED_FIELDS);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(MAX_FIELD_NAME);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(MAX_FIELD_VALUE);
    }
  }
}

describe('escaping', () => {
  it('escapes markdown, mentions and quotes in feed text but keeps URLs intact', () => {
    expect(escapeText('**bold** _it_ ~~s~~ `code` ||spoiler||')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\|');
    expect(escapeText('@everyone <@123> <#9> <@&7> <t:1:R>')).toBe('\\@everyone \\<\\@123\\> \\<#9\\> \\<\\@&7\\> \\<t:1:R\\>');
    expect(escapeText('> quoted\n# heading\n- item')).toBe('\\> quoted\n\\# heading\n\\- item');
    expect(escapeText('[click](https://evil.example)')).toBe('\\[click\\](https://evil.example)');
    expect(escapeText('1. first\n-# small\n+ plus')).toBe('1\\. first\n\\-# small\n\\+ plus');
    expect(escapeText('a \\ b')).toBe('a \\\\ b');
    expect(escapeText('code at https://github.com/a_b/c_d.')).toBe('code at https://github.com/a_b/c_d.');
  });

  it('keeps inline code spans of command text and escapes the rest', () => {
    expect(escapeCommandText('Removed the watch `diffusion -survey`. *Done*')).toBe('Removed the watch `diffusion -survey`. \\*Done\\*');
  });

  it('cuts at a word boundary with an ellipsis, never inside a URL', () => {
    expect(clipWords('alpha beta gamma delta', 15)).toBe('alpha beta…');
    expect(clipWords('short', 10)).toBe('short');
    const withUrl = `see https://example.com/${'x'.repeat(50)} now`;
    expect(clipWords(withUrl, 40)).toBe('see…');
  });

  it('fits escaped text into the limit even when escaping adds characters', () => {
    const text = '*a* '.repeat(100);
    const fitted = fitText(text, 50);
    expect(fitted.length).toBeLessThanOrEqual(50);
    expect(fitted.endsWith('…')).toBe(true);
  });
});

describe('renderEmbeds', () => {
  it('renders a digest as one embed per paper, with thumbnails and links', () => {
    const cards = [aCard({ github: { url: 'https://github.com/org/repo', stars: 42 } }), aCard()];
    const rendered = renderEmbeds(message({ kind: 'digest', visibility: 'public', title: 'Daily papers — Tue 1 Sep', titleUrl: 'https://huggingface.co/papers/date/2026-09-01', text: 'Top 2 of 9 papers.', papers: cards, more: { count: 7, url: 'https://huggingface.co/papers/date/2026-09-01' } }));
    expect(rendered.embeds).toHaveLength(3);
    const [header, first] = rendered.embeds;
    expect(header?.title).toBe('Daily papers — Tue 1 Sep');
    expect(header?.description).toContain('…and 7 more: [see them all on Hugging Face](https://huggingface.co/papers/date/2026-09-01)');
    expect(first?.title).toBe(`1. ${cards[0]?.title}`);
    expect(first?.url).toBe(cards[0]?.url);
    expect(first?.thumbnail?.url).toBe(cards[0]?.thumbnailUrl);
    expect(first?.description).toContain('[GitHub](https://github.com/org/repo) ★ 42');
    expect(first?.description).toContain(`[arXiv](${cards[0]?.arxivUrl})`);
    // No paging: only the cards' Save and Similar buttons (card-buttons.test.ts).
    const ids = rendered.components.flatMap((row) => row.components.map((button) => ('custom_id' in button ? button.custom_id : '')));
    expect(ids.slice(0, 2)).toEqual([`card:save:${cards[0]?.id}`, `card:similar:${cards[0]?.id}`]);
    expect(ids.every((id) => id.startsWith('card:'))).toBe(true);
  });

  it('keeps a 7000-character digest within every limit (6000 in all)', () => {
    const cards = Array.from({ length: 10 }, () => aCard({ title: `Title ${words(20)}`, summary: words(120), authors: Array.from({ length: 12 }, (_, i) => `Author ${i}`) }));
    const msg = message({ kind: 'digest', visibility: 'public', title: 'Daily papers', text: 'Top 10 of 40 papers.', papers: cards, footer: 'Filters: min 5 upvotes' });
    const rawLength = cards.reduce((sum, card) => sum + card.title.length + card.summary.length, 0);
    expect(rawLength).toBeGreaterThan(7000);
    const { embeds } = renderEmbeds(msg);
    expectWithinLimits(embeds);
    // Every paper is still there, each with its link.
    const all = JSON.stringify(embeds);
    for (const card of cards) expect(all).toContain(card.url);
    expect(embeds.at(-1)?.footer?.text).toBe('Filters: min 5 upvotes');
  });

  it('lists 25 long papers compactly and still within limits', () => {
    const cards = Array.from({ length: 25 }, () => aCard({ title: `T ${words(60)}`.slice(0, 400), summary: words(300) }));
    const { embeds } = renderEmbeds(message({ kind: 'list', visibility: 'public', title: 'Top papers', text: '', papers: cards }));
    expectWithinLimits(embeds);
    const all = JSON.stringify(embeds);
    const shown = cards.filter((card) => all.includes(card.url)).length;
    // Either every paper is listed, or the message says how many did not fit.
    if (shown < cards.length) expect(all).toContain(`${cards.length - shown} more papers do not fit`);
    expect(shown).toBeGreaterThan(10);
  });

  it('cuts a huge header (text, 30 long fields) down to the limits', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `Field ${i} ${words(80)}`, value: words(400) }));
    const { embeds } = renderEmbeds(message({ kind: 'status', visibility: 'public', title: words(100), text: words(2000), fields }));
    expectWithinLimits(embeds);
  });

  it('escapes feed text and the watch in an alert', () => {
    const card = aCard({ title: '@everyone look: <@123> *wow*', summary: '<@&42> __under__', match: { watch: '`x` @here', terms: ['wow'] } });
    const { embeds } = renderEmbeds(message({ kind: 'alert', visibility: 'private', title: 'New paper for your watch', text: 'From the feed.', papers: [card] }));
    const paper = embeds[1];
    expect(paper?.title).toBe('\\@everyone look: \\<\\@123\\> \\*wow\\*');
    expect(paper?.description).toContain('\\<\\@&42\\> \\_\\_under\\_\\_');
    expect(paper?.description).toContain('Matched your watch “\\`x\\` \\@here”: wow');
    expect(JSON.stringify(embeds)).not.toMatch(/[^\\]@everyone/);
  });

  it('shows the single-paper view as one embed with the full abstract', () => {
    const card = aCard({ abstract: words(400), keywords: ['diffusion', 'video'] });
    const { embeds } = renderEmbeds(message({ kind: 'paper', visibility: 'public', title: card.title, titleUrl: card.url, text: '', papers: [card] }));
    expect(embeds).toHaveLength(1);
    expect(embeds[0]?.description).toContain('word399');
    expect(embeds[0]?.description).toContain('Keywords: diffusion, video');
    expectWithinLimits(embeds);
  });

  it('renders help as a code block and errors in red', () => {
    const help = renderEmbeds(message({ kind: 'help', visibility: 'private', title: 'paperboy', text: 'search <query>\n    Search ```papers```' }));
    expect(help.embeds[0]?.description?.startsWith('```\n')).toBe(true);
    expect(help.embeds[0]?.description?.match(/```/g)).toHaveLength(2);
    const error = renderEmbeds(message({ kind: 'error', visibility: 'private', text: 'Nope.' }));
    expect(error.embeds[0]?.color).toBe(0xed4245);
  });

  it('adds paging buttons whose custom_ids carry the cursor and page', () => {
    const cards = [aCard(), aCard()];
    const { components } = renderEmbeds(message({ kind: 'list', visibility: 'public', title: 'Search', text: '', papers: cards, paging: { cursor: 'AbC_12-xyz09', page: 1, pageCount: 3, total: 6 } }));
    const ids = components.flatMap((row) => row.components.map((button) => ('custom_id' in button ? button.custom_id : ''))).filter((id) => id.startsWith('pg:'));
    expect(ids).toEqual(['pg:AbC_12-xyz09:0', 'pg:AbC_12-xyz09:x2', 'pg:AbC_12-xyz09:2']);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
    expect(new Set(ids).size).toBe(3);
    expect(parsePageCustomId('pg:AbC_12-xyz09:2')).toEqual({ cursor: 'AbC_12-xyz09', page: 2 });
    expect(parsePageCustomId('pg:AbC_12-xyz09:x2')).toBeNull();
    expect(parsePageCustomId('other:1')).toBeNull();
    // First page: Previous disabled; one page: no buttons; a cursor that cannot fit: no buttons.
    const first = pagingRow({ cursor: 'c1', page: 0, pageCount: 2, total: 4 })[0]?.components ?? [];
    expect(first.map((button) => button.disabled)).toEqual([true, true, false]);
    expect(pagingRow({ cursor: 'c1', page: 0, pageCount: 1, total: 1 })).toEqual([]);
    expect(pagingRow({ cursor: 'x'.repeat(99), page: 0, pageCount: 2, total: 4 })).toEqual([]);
  });
});
