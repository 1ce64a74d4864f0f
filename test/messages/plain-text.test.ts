import { describe, expect, it } from 'vitest';
import { message, paperPosition, renderPlainText, type PaperCard } from '../../src/messages/message.ts';

function card(n: number): PaperCard {
  return {
    id: `2609.0000${n}`,
    title: `Paper ${n}`,
    url: `https://huggingface.co/papers/2609.0000${n}`,
    arxivUrl: '',
    pdfUrl: '',
    thumbnailUrl: null,
    authors: ['A. Author'],
    organization: null,
    upvotes: n,
    comments: null,
    github: null,
    projectPage: null,
    summary: 'Summary.',
    feedDate: '2026-09-01',
    publishedAt: null,
  };
}

describe('paperPosition', () => {
  it('numbers a short last page from the total', () => {
    const last = message({ kind: 'list', visibility: 'public', text: '', papers: [card(1), card(2), card(3)], paging: { cursor: 'c', page: 1, pageCount: 2, total: 8 } });
    expect([0, 1, 2].map((i) => paperPosition(last, i))).toEqual([6, 7, 8]);
    expect(renderPlainText(last)).toContain('8. Paper 3');
  });

  it('numbers full middle pages by page size', () => {
    const middle = message({ kind: 'list', visibility: 'public', text: '', papers: [card(1), card(2)], paging: { cursor: 'c', page: 1, pageCount: 3, total: 5 } });
    expect([0, 1].map((i) => paperPosition(middle, i))).toEqual([3, 4]);
  });
});

const longAbstract = Array.from({ length: 40 }, (_, i) => `Sentence ${i} explains one more detail of the method.`).join(' ');

describe('renderPlainText layout', () => {
  it('puts one blank line between the heading and the first card', () => {
    const list = message({ kind: 'list', visibility: 'public', title: 'Search: x (2 papers)', text: '', papers: [card(1), card(2)] });
    const text = renderPlainText(list);
    expect(text).not.toMatch(/\n\n\n/);
    expect(text.startsWith('Search: x (2 papers)\n\n1. Paper 1 [2609.00001]\n')).toBe(true);
  });

  it('wraps list summaries at 100 columns under the card, and cuts a very long one', () => {
    const long = message({ kind: 'list', visibility: 'public', title: 'T', text: '', papers: [{ ...card(1), summary: longAbstract }] });
    const lines = renderPlainText(long).split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
    const summary = lines.slice(lines.findIndex((line) => line.includes('Sentence 0')), -1);
    expect(summary.length).toBeGreaterThan(1);
    expect(summary.every((line) => line.startsWith('   '))).toBe(true);
    expect(summary.join(' ').length).toBeLessThan(500);
    expect(summary.at(-1)).toMatch(/…$/);
  });

  it('never splits a URL and keeps short preformatted lines as they are', () => {
    const url = `https://example.org/${'a'.repeat(120)}`;
    const text = renderPlainText(message({ kind: 'text', visibility: 'public', text: `See ${url} now\n  word word          aligned columns` }));
    expect(text.split('\n')).toEqual(['See', url, 'now', '  word word          aligned columns']);
  });

  it('hangs the continuation of a long usage line under its command', () => {
    const usage = `/papers digest set ${'[option=value] '.repeat(8).trim()}`;
    const lines = renderPlainText(message({ kind: 'help', visibility: 'private', text: `${usage}\n    description` })).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^ {4}\[option=value\]/);
  });

  it('wraps a long bullet with its continuation under the text', () => {
    const bullet = `• ${'word '.repeat(30).trim()}`;
    const lines = renderPlainText(message({ kind: 'text', visibility: 'public', text: bullet })).split('\n');
    expect(lines.length).toBe(2);
    expect(lines[1]).toMatch(/^ {2}word/);
  });
});

describe('renderPlainText of one paper', () => {
  const full: PaperCard = {
    ...card(7),
    title: 'A title that is long enough to need wrapping because it goes on and on past one hundred columns wide',
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth'],
    organization: 'AE',
    upvotes: 42,
    comments: 3,
    arxivUrl: 'https://arxiv.org/abs/2609.00007',
    pdfUrl: 'https://arxiv.org/pdf/2609.00007',
    github: { url: 'https://github.com/ada/engine', stars: 12 },
    projectPage: 'https://engine.example/project',
    abstract: longAbstract,
    keywords: ['engines', 'notes'],
  };
  const text = renderPlainText(message({ kind: 'paper', visibility: 'public', title: full.title, titleUrl: full.url, text: '', papers: [full] }));
  const lines = text.split('\n');

  it('shows the title once, not as a numbered item', () => {
    expect(lines[0]).toMatch(/^A title that is long/);
    expect(text).not.toMatch(/^1\. /m);
    expect(text.match(/A title that is long/g)).toHaveLength(1);
    expect(text).toContain('[2609.00007]');
  });

  it('shows the whole abstract wrapped at 100 columns', () => {
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
    const body = text.split('\n\n').find((block) => block.startsWith('Sentence 0'));
    expect(body?.split('\n').length).toBeGreaterThan(5);
    expect(body?.replace(/\n/g, ' ')).toBe(longAbstract);
  });

  it('shows every author, the upvotes and all the links', () => {
    expect(text).toContain('Ada Lovelace, Alan Turing, Grace Hopper, Edsger Dijkstra, Barbara Liskov, Donald Knuth (AE)');
    expect(text).toMatch(/▲ 42 upvotes/);
    expect(text).toContain('Keywords: engines, notes');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Hugging Face  https://huggingface.co/papers/2609.00007',
        'arXiv         https://arxiv.org/abs/2609.00007',
        'PDF           https://arxiv.org/pdf/2609.00007',
        'GitHub        https://github.com/ada/engine (★ 12)',
        'Project page  https://engine.example/project',
      ]),
    );
    expect(text).not.toMatch(/\n\n\n/);
  });
});
