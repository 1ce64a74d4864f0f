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
