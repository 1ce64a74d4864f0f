import { describe, expect, it } from 'vitest';
import { distinctiveTerms } from '../../src/similar/distinctive-terms.ts';
import { similarPapers } from '../../src/similar/similar-papers.ts';
import { backends, sharedStore } from '../support/both-backends.ts';
import { fixturePapers } from '../support/fake-hf.ts';

// The 29 papers of Daily Papers 2024-10-25 (a real feed day). For each paper, the papers of that
// day a reader would call the same topic (read off the titles and abstracts): `similar` must rank
// one of them first. 2410.16251 ("Can Knowledge Editing Really Correct Hallucinations?") is about
// both knowledge editing (2410.18785) and hallucinations (2410.18860, DeCoRe); LOGO (2410.18533,
// long-context alignment) has two long-context papers that day (2410.18745, 2410.18572 Taipan).

const FEED_DAY = '2024-10-25';

const knownPairs: Array<[string, string[], string]> = [
  ['2410.16251', ['2410.18785', '2410.18860'], 'knowledge editing, hallucinations'],
  ['2410.18785', ['2410.16251'], 'knowledge editing of language models'],
  ['2410.18745', ['2410.18533'], 'long context in LLMs'],
  ['2410.18533', ['2410.18745', '2410.18572'], 'long context in LLMs'],
];

describe.each(backends)('similar papers on $name', (backend) => {
  const store = sharedStore(backend, (s) => s.upsertPapers(FEED_DAY, fixturePapers('daily_papers-2024-10-25.json'), Date.parse(`${FEED_DAY}T06:00:00Z`)));
  const now = Date.parse('2024-10-26T12:00:00Z');

  it.each(knownPairs)('ranks for %s one of %j first (%s)', async (from, sameTopic) => {
    const paper = await store().getPaperByArxivId(from);
    if (!paper) throw new Error(`${from} is not in the fixture`);
    const { results } = await similarPapers(store(), paper, { limit: 5, now });
    expect(sameTopic).toContain(results[0]?.paper.arxivId);
    expect(results.map((r) => r.paper.arxivId)).not.toContain(from);
    // Every result says which of the distinctive words it shares.
    for (const result of results) expect(result.shared.length).toBeGreaterThan(0);
  });

  it('weights title words up and skips words only the paper has', async () => {
    const paper = await store().getPaperByArxivId('2410.16251');
    if (!paper) throw new Error('2410.16251 is not in the fixture');
    const terms = await distinctiveTerms(store(), paper);
    // Title words (knowledge, editing, hallucinations) outweigh abstract words.
    expect(terms.slice(0, 3).map((term) => term.term).sort()).toEqual(expect.arrayContaining(['edit', 'knowledg']));
    expect(terms.length).toBeGreaterThan(3);
    const { counts } = await store().termDocumentCounts(terms.map((term) => term.term));
    for (const term of terms) expect(counts.get(term.term)).toBeGreaterThan(1);
  });
});
