import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArxivApiError, parseArxivAtom } from '../../src/arxiv/parse-atom.ts';
import { parseArxivRss } from '../../src/arxiv/parse-rss.ts';
import { TransientError } from '../../src/errors.ts';
import { rssDocument, rssItemXml } from '../support/fake-arxiv.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/arxiv/${name}`, import.meta.url), 'utf8');

/**
 * The element examples of arXiv's RSS specification (docs-rss-element-examples-from-arxiv-docs.txt)
 * made one valid document: its channel elements, then its item elements inside <item>, in the
 * namespaces the real feed declares. Nothing in the examples is changed.
 */
function docsExampleAsDocument(): string {
  const text = fixture('docs-rss-element-examples-from-arxiv-docs.txt');
  const itemStart = text.indexOf('<title>', text.indexOf('</skipDays>'));
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0"><channel>
${text.slice(0, itemStart)}<item>
${text.slice(itemStart)}</item></channel></rss>`;
}

describe('parseArxivRss', () => {
  it("reads the arXiv docs' example: replace-cross item, versioned id, categories in order, LaTeX kept", () => {
    const listing = parseArxivRss(docsExampleAsDocument());
    // <pubDate>Fri, 23 Feb 2024 00:00:00 -0500</pubDate>: the announcement is named by its New York date.
    expect(listing.announcement).toBe('2024-02-23');
    expect(listing.skipped).toEqual([]);
    expect(listing.items).toHaveLength(1);
    const [item] = listing.items;
    expect(item).toMatchObject({
      arxivId: '2203.01250',
      version: 3,
      announceType: 'replace-cross',
      title: 'Mass concentration in rescaled first order integral functionals',
      authors: ['Antonin Monteil', 'Paul Pegon'],
      categories: ['math.AP', 'math.OC'],
    });
    expect(item?.abstract.startsWith('We consider first order local minimization problems of the form $\\min \\int_{\\mathbb{R}^N}f(u,\\nabla u)$')).toBe(true);
    expect(item?.abstract).not.toContain('Announce Type');
  });

  it('reads new and cross items, entities and all, and names a summer announcement by its New York date', () => {
    const items = [
      rssItemXml({ id: '2609.00001', type: 'new', title: 'Retrieval & <ranking> for "LLMs"', abstract: 'A < B & C', authors: ['Jane Doe', 'John Roe'], categories: ['cs.CL', 'cs.IR'] }, '2026-09-01'),
      rssItemXml({ id: '2609.00002', version: 2, type: 'cross', categories: ['stat.ML', 'cs.LG'] }, '2026-09-01'),
    ].join('\n');
    const listing = parseArxivRss(rssDocument('2026-09-01', items, 'cs.CL+cs.LG'));
    expect(listing.announcement).toBe('2026-09-01');
    expect(listing.items.map((i) => [i.arxivId, i.version, i.announceType])).toEqual([
      ['2609.00001', 1, 'new'],
      ['2609.00002', 2, 'cross'],
    ]);
    expect(listing.items[0]).toMatchObject({ title: 'Retrieval & <ranking> for "LLMs"', abstract: 'A < B & C', authors: ['Jane Doe', 'John Roe'], categories: ['cs.CL', 'cs.IR'] });
  });

  it('drops control characters, decodes entities once, and expands no DOCTYPE entity bomb', () => {
    const item = rssItemXml({ id: '2609.00005', type: 'new', title: 'Bell\u0007 &lt;tag&gt; &amp; <b>', abstract: 'x\u0000y' }, '2026-09-01');
    const [parsed] = parseArxivRss(rssDocument('2026-09-01', item)).items;
    expect(parsed).toMatchObject({ title: 'Bell &lt;tag&gt; &amp; <b>', abstract: 'xy' });
    const marked = rssItemXml({ id: '2609.00007', type: 'new', title: 'Red \u001b[31mtext\u001b[0m \u202Eevil', abstract: 'a \u2066b\u2069' }, '2026-09-01');
    expect(parseArxivRss(rssDocument('2026-09-01', marked)).items[0]).toMatchObject({ title: 'Red text evil', abstract: 'a b' });
    const lol = (n: number): string => (n === 0 ? '<!ENTITY lol0 "lol">' : `${lol(n - 1)}<!ENTITY lol${n} "${`&lol${n - 1};`.repeat(10)}">`);
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [${lol(9)}]>${rssDocument('2026-09-01', rssItemXml({ id: '2609.00006', type: 'new', title: '&lol9;' }, '2026-09-01')).replace(/^<\?xml[^>]*>/, '')}`;
    expect((parseArxivRss(bomb).items[0]?.title.length ?? 0)).toBeLessThan(1000);
  });

  it('keeps ids as strings (2410.17240 is not a number) and lists a paper once when two categories list it', () => {
    const items = [rssItemXml({ id: '2410.17240', type: 'new' }, '2026-09-01'), rssItemXml({ id: '2410.17240', type: 'cross' }, '2026-09-01')].join('\n');
    const listing = parseArxivRss(rssDocument('2026-09-01', items));
    expect(listing.items.map((i) => i.arxivId)).toEqual(['2410.17240']);
  });

  it('skips items without an id, with a bad id or an unknown announce type, and says why', () => {
    const good = rssItemXml({ id: '2609.00003', type: 'new' }, '2026-09-01');
    const noId = '<item><title>No id at all</title><description>Abstract: x</description><arxiv:announce_type>new</arxiv:announce_type></item>';
    const badId = rssItemXml({ id: '2613.00001', type: 'new' }, '2026-09-01');
    const oddType = rssItemXml({ id: '2609.00004', type: 'new' }, '2026-09-01').replaceAll('new</arxiv:announce_type>', 'withdrawn</arxiv:announce_type>').replace('Announce Type: new', 'Announce Type: withdrawn');
    const listing = parseArxivRss(rssDocument('2026-09-01', [good, noId, badId, oddType].join('\n')));
    expect(listing.items.map((i) => i.arxivId)).toEqual(['2609.00003']);
    expect(listing.skipped.map((s) => s.reason)).toEqual(['no id', 'bad id oai:arXiv.org:2613.00001v1', '2609.00004: unknown announce type "withdrawn"']);
  });

  it('reads an empty feed as an announcement with no items', () => {
    expect(parseArxivRss(rssDocument('2026-09-05', ''))).toEqual({ announcement: '2026-09-05', items: [], skipped: [] });
  });

  it('refuses malformed XML, an HTML page and a feed without a date as transient errors (the next poll retries)', () => {
    expect(() => parseArxivRss('<rss><channel><item><title>cut')).toThrow(TransientError);
    expect(() => parseArxivRss('<!DOCTYPE html><html><body><p>Down for maintenance<br></p></body></html>')).toThrow(/not well-formed XML/);
    expect(() => parseArxivRss('<html><body><p>Down for maintenance</p></body></html>')).toThrow(/not its RSS feed/);
    expect(() => parseArxivRss('<rss><channel><title>x</title></channel></rss>')).toThrow(/no readable date/);
  });
});

describe('parseArxivAtom', () => {
  it('reads an id_list answer: id without version, primary category first, authors, published', () => {
    const page = parseArxivAtom(fixture('api-idlist-1605.08386.xml'));
    expect(page.totalResults).toBe(1);
    expect(page.papers).toEqual([
      {
        arxivId: '1605.08386',
        version: 1,
        title: 'Heat-bath random walks with Markov bases',
        abstract: expect.stringMatching(/^Graphs on lattice points are studied .* expander in fixed dimension\.$/),
        authors: ['Caprice Stanley', 'Tobias Windisch'],
        categories: ['math.CO', 'math.ST'],
        publishedAt: Date.parse('2016-05-26T17:59:46Z'),
      },
    ]);
  });

  it('reads an old-style id and trims the leading space of its summary', () => {
    const [paper] = parseArxivAtom(fixture('api-idlist-oldstyle-astro-ph-0601001.xml')).papers;
    expect(paper).toMatchObject({ arxivId: 'astro-ph/0601001', version: 1, categories: ['astro-ph'] });
    expect(paper?.abstract.startsWith('We derive the frequencies')).toBe(true);
    expect(paper?.abstract).toContain('Gould & Morgan (2003)');
    expect(paper?.authors).toEqual(['Andrew Gould', 'Susan Dorsher', 'B. Scott Gaudi', 'Andrzej Udalski']);
  });

  it('reads a search page of 10 entries', () => {
    const page = parseArxivAtom(fixture('api-search-testing-10.xml'));
    expect(page.papers).toHaveLength(10);
    expect(page.skipped).toBe(0);
    expect(new Set(page.papers.map((p) => p.arxivId)).size).toBe(10);
  });

  it("turns arXiv's error entry into ArxivApiError with its message", () => {
    expect(() => parseArxivAtom(fixture('api-idlist-abc-error-400.xml'))).toThrow(ArxivApiError);
    expect(() => parseArxivAtom(fixture('api-idlist-abc-error-400.xml'))).toThrow('arXiv API: incorrect id format for abc');
  });
});
