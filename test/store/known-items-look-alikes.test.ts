import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { aPaper } from '../support/builders.ts';
import { backends, type OpenedStore } from '../support/both-backends.ts';

// Known items whose words are in more titles than one walk reads: the close titles (the query
// itself, a word or two more, the query at the end) are older than a thousand newer look-alikes
// holding every word, as long as the query or a word longer and ending with its last word or one
// word after it. So on both backends the one walk cannot vouch for the kinds, and each kind is found
// by its own probe. Titles longer than the query by three words or more are not close.

const now = Date.parse('2026-09-01T00:00:00Z');

describe.each(backends)('known items past a thousand look-alikes on $name', (backend) => {
  let opened: OpenedStore;
  const search = (text: string) => opened.store.searchPapers(parseQuery(text), { limit: 5, offset: 0, now });
  const titles = async (text: string) => (await search(text)).results.map((result) => result.paper.title);

  beforeAll(async () => {
    opened = await backend.open();
    const old = [
      'Wombat burrow survey',
      'Wombat burrow survey revisited',
      'Otter dam report revisited',
      'A new otter dam report',
      'Quokka nest field census',
      'A very new quokka nest census',
      'Quokka nest big field census',
    ];
    await opened.store.upsertPapers('2025-01-06', old.map((title, i) => aPaper({ arxivId: `2501.0000${i + 1}`, title, abstract: 'Field notes.', upvotes: 0 })), 0);
    const lookAlikes = ['Burrow wombat survey', 'Dam otter report', 'Nest census quokka'].flatMap((stem, s) =>
      Array.from({ length: 1_100 }, (_, i) => aPaper({ arxivId: `2608.${String(s * 1_100 + i + 10_000).padStart(5, '0')}`, title: `${stem} ${i}`, abstract: 'Notes.', upvotes: 5 })),
    );
    for (let i = 0; i < lookAlikes.length; i += 500) await opened.store.upsertPapers('2026-08-01', lookAlikes.slice(i, i + 500), 0);
  }, 300_000);
  afterAll(async () => opened?.close());

  it('puts the title that is the query first, and no other close title with it', async () => {
    const found = await titles('wombat burrow survey');
    expect(found[0]).toBe('Wombat burrow survey');
    expect(found).not.toContain('Wombat burrow survey revisited');
  });

  it('without an exact title, puts the title with one word more, then the one ending with the query, first', async () => {
    expect((await titles('otter dam report')).slice(0, 2)).toEqual(['Otter dam report revisited', 'A new otter dam report']);
  });

  it('does not take a title with a word inside a hyphenated term for the query: it does not match', async () => {
    // "nest-census" is the phrase "nest census": 'Quokka nest field census' holds the words only.
    const found = await titles('quokka nest-census');
    expect(found).toHaveLength(5);
    expect(found).not.toContain('Quokka nest field census');
  });

  it('finds a title with a word inside the query, and not one with two, nor one ending with it three words longer', async () => {
    const found = await titles('quokka nest census');
    expect(found[0]).toBe('Quokka nest field census');
    expect(found).not.toContain('Quokka nest big field census');
    expect(found).not.toContain('A very new quokka nest census');
  });
});
