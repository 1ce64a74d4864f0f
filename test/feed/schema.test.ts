import { describe, expect, it } from 'vitest';
import { HfDailyItemSchema, parseApiPaper, parseDailyItem } from '../../src/feed/schema.ts';
import { hfItem, readFixture } from '../support/fake-hf.ts';

function fixtureList(): unknown[] {
  const body = readFixture('daily_papers-2024-10-25.json');
  if (!Array.isArray(body)) throw new Error('fixture is not a list');
  return body;
}

function parsedOk(raw: unknown) {
  const result = parseDailyItem(raw);
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.paper;
}

describe('parseDailyItem on the 2024-10-25 fixture (2024 schema)', () => {
  const papers = fixtureList().map(parsedOk);

  it('parses all 29 items with string ids in feed order', () => {
    expect(papers).toHaveLength(29);
    expect(papers[0]?.arxivId).toBe('2410.17243');
    expect(new Set(papers.map((p) => p.arxivId)).size).toBe(29);
  });

  it('prefers the outer title and never leaves a line break in a title', () => {
    expect(papers[0]?.title).toBe('Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss');
    for (const paper of papers) expect(paper.title).not.toMatch(/\n|\s{2}/);
  });

  it('unwraps the paper title when the outer title is missing', () => {
    const raw = fixtureList()[0];
    const paper = parsedOk({ ...Object(raw), title: undefined });
    expect(paper.title).toBe('Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss');
  });

  it('unwraps hard-wrapped abstracts and keeps & and the rest of the text', () => {
    const chart = papers.find((p) => p.arxivId === '2410.18798');
    expect(chart?.abstract).toContain('20k Q&A pairs');
    for (const paper of papers) expect(paper.abstract).not.toContain('\n');
    expect(papers[0]?.abstract.startsWith('Contrastive loss is a powerful approach for representation learning, where larger batch sizes')).toBe(true);
  });

  it('drops the hidden author (Zhanchao Zhou on 2410.17897) and keeps the others in order', () => {
    const paper = papers.find((p) => p.arxivId === '2410.17897');
    expect(paper?.authors).not.toContain('Zhanchao Zhou');
    expect(paper?.authors.length).toBeGreaterThan(0);
    expect(papers[0]?.authors.slice(0, 2)).toEqual(['Zesen Cheng', 'Hang Zhang']);
  });

  it('reads missing 2026-only fields as null, never as 0 or empty', () => {
    expect(papers[0]).toMatchObject({
      githubRepo: null,
      githubStars: null,
      organization: null,
      aiSummary: null,
      aiKeywords: null,
      projectPage: null,
      upvotes: 64,
      numComments: 3,
      publishedAt: Date.parse('2024-10-22T17:59:30.000Z'),
      thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2410.17243.png',
    });
  });
});

describe('parseDailyItem on the 2026 item with AI fields', () => {
  const paper = parsedOk(readFixture('daily_papers-item-2026-03-06-with-ai-fields.json'));

  it('reads repo, stars, project page, AI summary and keywords, organization', () => {
    expect(paper).toMatchObject({
      arxivId: '2602.23229',
      title: 'Large Multimodal Models as General In-Context Classifiers',
      githubRepo: 'https://github.com/marco-garosi/CIRCLE',
      githubStars: 9,
      projectPage: 'https://circle-lmm.github.io/',
      organization: 'Multimedia and Human Understanding Group',
      upvotes: 10,
      numComments: 1,
    });
    expect(paper.aiSummary).toMatch(/^Large Multimodal Models demonstrate superior performance/);
    expect(paper.aiKeywords).toContain('in-context learning');
    expect(paper.authors).toEqual(['Marco Garosi', 'Matteo Farina', 'Alessandro Conti', 'Massimiliano Mancini', 'Elisa Ricci']);
  });

  it('keeps quotes in the abstract', () => {
    expect(paper.abstract).toContain('their "in-context" equivalent');
  });
});

describe('parseApiPaper on the paper page data-props (2407.13168)', () => {
  it('parses the bare paper object with its 30 authors and AI fields', () => {
    const result = parseApiPaper(readFixture('paper-page-dataprops-paper-2407.13168.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.paper.arxivId).toBe('2407.13168');
    expect(result.paper.title).toBe('SciCode: A Research Coding Benchmark Curated by Scientists');
    expect(result.paper.authors).toHaveLength(30);
    expect(result.paper.aiKeywords).toContain('code synthesis');
    expect(result.paper.abstract).toContain('only 4.6% of the problems');
    expect(result.paper.numComments).toBeNull();
  });
});

describe('HfDailyItemSchema', () => {
  it('makes relative avatar URLs absolute and keeps unknown fields', () => {
    const [raw] = fixtureList();
    const item = HfDailyItemSchema.parse(raw);
    expect(item.paper.authors?.[0]?.user?.avatarUrl).toBe('https://huggingface.co/avatars/1b09e2742aecce1bbdc57f0c4504cf38.svg');
    expect(item.submittedBy?.avatarUrl).toBe('https://huggingface.co/avatars/1b09e2742aecce1bbdc57f0c4504cf38.svg');
    expect(item.paper.discussionId).toBe('671b005126d87414f5a615f4');
  });

  it('reads the 2026 submitter (username under `user`) and the organization avatar', () => {
    const item = HfDailyItemSchema.parse(readFixture('daily_papers-item-2026-03-06-with-ai-fields.json'));
    expect(item.paper.submittedOnDailyBy).toMatchObject({ user: 'marco-garosi', avatarUrl: 'https://huggingface.co/avatars/0bcba885d6e0ff74e03f42faa5c86783.svg' });
    expect(typeof item.organization === 'object' ? item.organization.avatar : '').toMatch(/^https:\/\/cdn-uploads\.huggingface\.co\//);
  });
});

describe('parseDailyItem leniency', () => {
  it('rejects a numeric paper id: the number has already lost digits', () => {
    const result = parseDailyItem({ paper: { id: 2410.1724 }, title: 'Number id' });
    expect(result).toMatchObject({ ok: false, id: '2410.1724' });
  });

  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['no paper', { title: 'x' }],
    ['paper without id', { paper: { title: 'x' } }],
    ['empty id', { paper: { id: '' }, title: 'x' }],
    ['id not arXiv', { paper: { id: 'not-an-id' }, title: 'x' }],
    ['no title anywhere', { paper: { id: '2410.17243' } }],
    ['whitespace title', { paper: { id: '2410.17243' }, title: ' \n  ' }],
  ])('rejects garbage: %s', (_name, raw) => {
    expect(parseDailyItem(raw).ok).toBe(false);
  });

  it('accepts unknown fields anywhere', () => {
    const paper = parsedOk(hfItem({ id: '2501.00001', brandNewField: { nested: [1, 2] } }, { anotherNewField: true }));
    expect(paper.arxivId).toBe('2501.00001');
  });

  it('treats wrongly typed optional fields as absent instead of dropping the paper', () => {
    const paper = parsedOk(hfItem({ id: '2501.00002', githubStars: '9', upvotes: -3, ai_keywords: 'x', authors: 'nobody' }, { numComments: 'many' }));
    expect(paper).toMatchObject({ githubStars: null, upvotes: 0, aiKeywords: null, authors: [], numComments: null });
  });

  it('keeps a 0 star count as 0 (distinct from missing)', () => {
    expect(parsedOk(hfItem({ id: '2501.00003', githubRepo: 'https://github.com/a/b', githubStars: 0 })).githubStars).toBe(0);
  });

  it('drops malformed authors one by one and keeps the others', () => {
    const paper = parsedOk(hfItem({ id: '2501.00004', authors: [{ name: 'Good One' }, 42, { name: 'Hidden', hidden: true }, { hidden: false }, { name: 'Two' }] }));
    expect(paper.authors).toEqual(['Good One', 'Two']);
  });

  it('makes relative thumbnails absolute and normalises an id with a version', () => {
    const paper = parsedOk(hfItem({ id: '2501.00005v2' }, { thumbnail: '/papers/thumb.png' }));
    expect(paper.arxivId).toBe('2501.00005');
    expect(paper.thumbnail).toBe('https://huggingface.co/papers/thumb.png');
  });

  it('accepts a plain-string organization and an owner/name GitHub repo', () => {
    const paper = parsedOk(hfItem({ id: '2501.00006', githubRepo: 'owner/repo' }, { organization: 'Acme Lab' }));
    expect(paper.organization).toBe('Acme Lab');
    expect(paper.githubRepo).toBe('https://github.com/owner/repo');
  });

  it('decodes entities in titles and keeps LaTeX', () => {
    const paper = parsedOk(hfItem({ id: '2501.00007', summary: 'Bound $O(n^{2})$ &amp; \\emph{more}.' }, { title: 'Q&amp;A with $\\alpha$\n  folding' }));
    expect(paper.title).toBe('Q&A with $\\alpha$ folding');
    expect(paper.abstract).toBe('Bound $O(n^{2})$ & \\emph{more}.');
  });
});
