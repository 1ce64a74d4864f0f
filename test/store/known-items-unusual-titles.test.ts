import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { aPaper } from '../support/builders.ts';
import { backends, type OpenedStore } from '../support/both-backends.ts';

// Known items whose titles hold characters the tokenizer treats in its own way, pasted while
// more than a thousand newer papers match the same words in their abstracts: an emoji that
// SQLite's tokenizer counts as a word (past 1,100 look-alike titles too), an accent typed as a
// combining mark, and a word that looks like the title index's own end word.

const now = Date.parse('2026-09-01T00:00:00Z');

const OLD = ['🤗 Transformers for Natural Language Processing', 'Café-Résumé: Naïve Bayes für Übersetzung', 'On the Word paperboytitleend5 in Titles'];

describe.each(backends)('known items with unusual titles on $name', (backend) => {
  let opened: OpenedStore;
  const first = async (text: string) => (await opened.store.searchPapers(parseQuery(text), { limit: 5, offset: 0, now })).results[0]?.paper.title;

  beforeAll(async () => {
    opened = await backend.open();
    await opened.store.upsertPapers('2025-01-06', OLD.map((title, i) => aPaper({ arxivId: `2501.0000${i + 1}`, title, abstract: 'Old notes.', upvotes: 0 })), 0);
    const newer = Array.from({ length: 1_100 }, (_, i) =>
      aPaper({ arxivId: `2608.${String(10_000 + i)}`, title: `Transformers for Natural Language Processing ${i}`, abstract: `${OLD.join('. ')}. Revisited.`, upvotes: 5 }),
    );
    for (let i = 0; i < newer.length; i += 550) await opened.store.upsertPapers('2026-08-01', newer.slice(i, i + 550), 0);
  }, 300_000);
  afterAll(async () => opened?.close());

  it('finds a title starting with an emoji past a thousand look-alike titles', async () => {
    expect(await first(OLD[0] ?? '')).toBe(OLD[0]);
  });

  it('finds a title pasted with decomposed accents', async () => {
    expect(await first('Cafe\u0301-Re\u0301sume\u0301: Nai\u0308ve Bayes fu\u0308r U\u0308bersetzung')).toBe(OLD[1]);
  });

  it('finds a title holding a word that looks like the index end word', async () => {
    expect(await first(OLD[2] ?? '')).toBe(OLD[2]);
  });
});
