import { describe, expect, it } from 'vitest';
import { generateCorpus, planDays } from '../../bench/generate-corpus.ts';
import { loadVocabulary } from '../../bench/vocabulary.ts';

// The bench caches databases by (size, seed): that is only sound if a seed always gives the same corpus.

const vocabulary = loadVocabulary(7, 5_000);
const corpus = (seed: number) => [...generateCorpus({ seed, size: 400, vocabulary })];

describe('generateCorpus', () => {
  it('gives the same papers for the same seed', () => {
    expect(corpus(7)).toEqual(corpus(7));
  });

  it('gives different papers for another seed', () => {
    const a = corpus(7).flatMap((day) => day.papers.map((p) => p.title));
    const b = corpus(8).flatMap((day) => day.papers.map((p) => p.title));
    expect(a).not.toEqual(b);
  });

  it('holds exactly `size` distinct papers, each first seen once, on consecutive days ending at the end date', () => {
    const days = corpus(7);
    const firstSeen = new Map<string, string>();
    for (const day of days) for (const paper of day.papers) if (!firstSeen.has(paper.arxivId)) firstSeen.set(paper.arxivId, day.feedDate);
    expect(firstSeen.size).toBe(400);
    expect(days.at(-1)?.feedDate).toBe('2026-08-31');
    const { counts } = planDays(7, 400);
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(400);
    expect(days).toHaveLength(counts.length);
  });

  it('writes papers shaped like the feed: fixture-length text, authors, long-tailed upvotes', () => {
    const papers = corpus(7).flatMap((day) => day.papers);
    const meanAbstract = papers.reduce((sum, p) => sum + p.abstract.length, 0) / papers.length;
    expect(meanAbstract).toBeGreaterThan(700);
    expect(meanAbstract).toBeLessThan(2500);
    expect(papers.every((p) => p.title.length > 0 && !p.title.includes('\n') && p.authors.length > 0)).toBe(true);
    const upvotes = papers.map((p) => p.upvotes).sort((a, b) => a - b);
    const median = upvotes[Math.floor(upvotes.length / 2)] ?? 0;
    expect(upvotes.at(-1) ?? 0).toBeGreaterThan(median * 5);
  });
});
