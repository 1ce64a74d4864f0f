import { describe, expect, it } from 'vitest';
import { message } from '../../../src/messages/message.ts';
import { blocksTextLength } from '../../../src/platforms/slack/block-text.ts';
import { clip, escapeMrkdwn, mrkdwnLink, safeUrl } from '../../../src/platforms/slack/escape-mrkdwn.ts';
import { decodePageValue } from '../../../src/platforms/slack/paging-buttons.ts';
import { renderBlocks, type SlackPart } from '../../../src/platforms/slack/render-blocks.ts';
import { aCard, aDigest, allStrings } from './slack-test-kit.ts';

const longSummary = 'Diffusion models are studied here at length. '.repeat(40);

/** Every limit of limits.ts, checked on one rendered message. */
function expectWithinSlackLimits(part: SlackPart): void {
  expect(part.blocks.length).toBeLessThanOrEqual(50);
  expect(blocksTextLength(part.blocks)).toBeLessThanOrEqual(10_000);
  expect(part.text.length).toBeGreaterThan(0);
  expect(part.text.length).toBeLessThanOrEqual(3000);
  for (const block of part.blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150);
    if (block.type === 'section') {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(10);
  }
}

function paperLinks(parts: SlackPart[]): string[] {
  return allStrings(parts.map((p) => p.blocks)).flatMap((text) => [...text.matchAll(/<(https:\/\/huggingface\.co\/papers\/[\d.]+)\|/g)].map((m) => m[1] ?? ''));
}

describe('renderBlocks', () => {
  it('escapes feed text so a title cannot mention @channel, @here or a user', () => {
    const hostile = 'Attention <!channel> and <!here> and <@U123> & <https://evil.example|click>';
    const msg = aDigest([aCard({ title: hostile, authors: ['<@U999>'], organization: '<!everyone>', summary: hostile, match: { watch: '<!here>', terms: ['<@U1>'] } })], {
      title: `Digest ${hostile}`,
      text: hostile,
      footer: hostile,
      fields: [{ name: '<!channel>', value: '<@U123>' }],
    });
    for (const mode of ['single', 'parts'] as const) {
      const parts = renderBlocks(msg, { mode });
      const strings = allStrings(parts);
      expect(strings.some((s) => /<[!@#]/.test(s))).toBe(false);
      expect(strings.some((s) => s.includes('<https://evil.example'))).toBe(false);
      expect(strings.join('\n')).toContain('&lt;!channel&gt;');
    }
  });

  it('splits a 60-paper digest into messages that each stay within the limits, losing no paper', () => {
    const cards = Array.from({ length: 60 }, () => aCard({ summary: longSummary }));
    const parts = renderBlocks(aDigest(cards), { mode: 'parts' });
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach(expectWithinSlackLimits);
    expect(paperLinks(parts)).toEqual(cards.map((card) => card.url));
    expect(parts[0]?.blocks[0]?.type).toBe('header');
    expect(allStrings(parts.at(-2)).join(' ')).toContain('Continued in the next message');
  });

  it('fits a long page into one message when it has to (a response_url reply), keeping the buttons', () => {
    const cards = Array.from({ length: 25 }, () => aCard({ summary: longSummary, title: 'T'.repeat(250) }));
    const msg = message({ kind: 'list', visibility: 'public', title: 'Top papers', text: '', papers: cards, paging: { cursor: 'abc', page: 0, pageCount: 3, total: 70 } });
    const parts = renderBlocks(msg, { mode: 'single' });
    expect(parts).toHaveLength(1);
    const [part] = parts;
    if (!part) throw new Error('no part');
    expectWithinSlackLimits(part);
    expect(paperLinks(parts)).toHaveLength(25);
    const actions = part.blocks.find((block) => block.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => (e.type === 'button' ? decodePageValue(e.value) : null))).toEqual([{ cursor: 'abc', page: 1 }]);
  });

  it('numbers the last page from the end of the list', () => {
    const cards = [aCard(), aCard(), aCard()];
    const msg = message({ kind: 'list', visibility: 'public', title: 'Search', text: '', papers: cards, paging: { cursor: 'abc', page: 1, pageCount: 2, total: 8 } });
    const text = allStrings(renderBlocks(msg, { mode: 'single' })).join('\n');
    expect(text).toContain('*6. <');
    expect(text).toContain('*8. <');
    const buttons = allStrings(renderBlocks(msg, { mode: 'single' })[0]?.blocks.filter((b) => b.type === 'actions'));
    expect(buttons).toContain('◀ Previous');
    expect(buttons).not.toContain('Next ▶');
  });

  it('splits long text into sections of at most 3000 characters and fields into sections of 10', () => {
    const msg = message({
      kind: 'status',
      visibility: 'private',
      text: 'word '.repeat(1500),
      fields: Array.from({ length: 14 }, (_, i) => ({ name: `Field ${i}`, value: 'v'.repeat(i === 0 ? 5000 : 10) })),
    });
    const [part] = renderBlocks(msg, { mode: 'single' });
    if (!part) throw new Error('no part');
    expectWithinSlackLimits(part);
    const sections = part.blocks.filter((block) => block.type === 'section');
    expect(sections.filter((s) => s.type === 'section' && s.text).length).toBeGreaterThanOrEqual(3);
    expect(sections.filter((s) => s.type === 'section' && s.fields).map((s) => (s.type === 'section' ? s.fields?.length : 0))).toEqual([10, 4]);
  });

  it('shows a full abstract over several sections and the thumbnail as an image accessory', () => {
    const card = aCard({ abstract: 'An abstract sentence. '.repeat(250), summary: 'AI summary that differs.' });
    const msg = message({ kind: 'paper', visibility: 'public', title: card.title, titleUrl: card.url, text: '', papers: [card] });
    const [part] = renderBlocks(msg, { mode: 'single' });
    if (!part) throw new Error('no part');
    expectWithinSlackLimits(part);
    const first = part.blocks.find((block) => block.type === 'section' && block.accessory);
    expect(first?.type === 'section' && first.accessory?.type === 'image' && 'image_url' in first.accessory ? first.accessory.image_url : null).toBe(card.thumbnailUrl);
    const texts = part.blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
    expect(texts.join(' ').match(/An abstract sentence\./g)?.length).toBe(250);
  });

  it('always has an escaped plain-text fallback', () => {
    const [part] = renderBlocks(aDigest([aCard({ title: 'Fish & <chips>' })]), { mode: 'parts' });
    expect(part?.text).toContain('Fish &amp; &lt;chips&gt;');
  });
});

describe('mrkdwn helpers', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('a & b < c > d * _ ~')).toBe('a &amp; b &lt; c &gt; d * _ ~');
  });

  it('only links http(s) URLs, with the characters that would end the link encoded', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(mrkdwnLink('https://github.com/a/b|<!channel>', 'x')).toBe('<https://github.com/a/b%7C%3C!channel%3E|x>');
    expect(mrkdwnLink('https://example.com/?a=1&b=2', 'q')).toBe('<https://example.com/?a=1&amp;b=2|q>');
    expect(mrkdwnLink('slack://open', '<@U1>')).toBe('&lt;@U1&gt;');
  });

  it('never cuts an escaped entity in half', () => {
    expect(clip(escapeMrkdwn('ab&&&&'), 6)).toBe('ab…');
    expect(clip('short', 10)).toBe('short');
  });
});
