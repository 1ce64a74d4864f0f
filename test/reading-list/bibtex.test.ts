import { describe, expect, it } from 'vitest';
import type { FeedPaper } from '../../src/papers/feed-paper.ts';
import { bibtexFile } from '../../src/reading-list/bibtex.ts';
import type { PaperRow } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { testDeps } from '../support/test-deps.ts';

// BibTeX of stored papers: author names as BibTeX splits them (suffixes stay suffixes) and short,
// readable cite keys for any title or name.

async function stored(papers: FeedPaper[]): Promise<PaperRow[]> {
  const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
  await deps.store.upsertPapers('2026-08-31', papers, deps.clock.now());
  const rows = await Promise.all(papers.map((paper) => deps.store.getPaperByArxivId(paper.arxivId)));
  return rows.filter((row): row is PaperRow => row !== undefined);
}

const at = Date.parse('2024-10-22T00:00:00Z');
const entries = (bib: string) => bib.trim().split('\n\n');
const field = (entry: string | undefined, name: string) => new RegExp(`^  ${name}=\\{(.*)\\},$`, 'm').exec(entry ?? '')?.[1];
const key = (entry: string | undefined) => /^@misc\{([^,]*),/.exec(entry ?? '')?.[1];

describe('bibtexFile', () => {
  it('keeps a generational suffix a suffix, in BibTeX\'s von Last, Jr, First form', async () => {
    const papers = await stored([
      aPaper({ arxivId: '2410.00001', title: 'Scaling laws', publishedAt: at, authors: ["Pat O'Brien, Jr.", 'Martin Luther King Jr.', 'Ludwig van Beethoven III', 'Ada Lovelace'] }),
      aPaper({ arxivId: '2410.00002', title: 'Scaling laws again', publishedAt: at, authors: ["O'Brien, Jr.", 'Smith, John', "O'Brien, Sr., Pat"] }),
    ]);
    const [first, second] = entries(bibtexFile(papers));
    expect(field(first, 'author')).toBe("O'Brien, Jr., Pat and King, Jr., Martin Luther and van Beethoven, III, Ludwig and Ada Lovelace");
    expect(key(first)).toBe('obrien2024scaling');
    // One word and a suffix has no first name to move: braced, BibTeX prints it whole.
    expect(field(second, 'author')).toBe("{O'Brien, Jr.} and Smith, John and O'Brien, Sr., Pat");
    expect(key(second)).toBe('obrien2024scalinga');
  });

  it('braces a name BibTeX would split at an inner "and" or too many commas', async () => {
    const papers = await stored([aPaper({ arxivId: '2410.00003', title: 'Models', publishedAt: at, authors: ['Research and Development Team', 'A, B, C, D'] })]);
    expect(field(entries(bibtexFile(papers))[0], 'author')).toBe('{Research and Development Team} and {A, B, C, D}');
  });

  it('spells letters NFD leaves whole in the cite key, and keeps keys short for long words', async () => {
    const papers = await stored([
      aPaper({ arxivId: '2410.00004', title: 'Über Łódź', publishedAt: at, authors: ['Anna Müller-Łukasz'] }),
      aPaper({ arxivId: '2410.00005', title: 'Straße', publishedAt: at, authors: ['Søren Þórsdóttir-Æbelø', 'Đorđe Œuvre'] }),
      aPaper({
        arxivId: '2410.00006',
        title: 'Supercalifragilisticexpialidocious-Hyperparameter-Optimisation-Without-Gradients for everything anyone could ever want',
        publishedAt: at,
        authors: ['Jane Wolfeschlegelsteinhausenbergerdorff'],
      }),
    ]);
    const keys = entries(bibtexFile(papers)).map(key);
    expect(keys).toEqual(['mullerlukasz2024uber', 'thorsdottiraebelo2024strasse', 'wolfeschlegelsteinha2024supercalifragilistic']);
  });

  it("gives every paper its own cite key, even where a suffixed key is another paper's own", async () => {
    const papers = await stored([
      aPaper({ arxivId: '2410.00007', title: 'Model merging', publishedAt: at, authors: ['Ann Smith'] }),
      aPaper({ arxivId: '2410.00008', title: 'Model soups', publishedAt: at, authors: ['Bo Smith'] }),
      aPaper({ arxivId: '2410.00009', title: 'Modela: a language', publishedAt: at, authors: ['Cy Smith'] }),
      aPaper({ arxivId: '2410.00010', title: 'Model editing', publishedAt: at, authors: ['Di Smith'] }),
    ]);
    const keys = entries(bibtexFile(papers)).map(key);
    expect(keys).toEqual(['smith2024model', 'smith2024modela', 'smith2024modelaa', 'smith2024modelb']);
  });
});
