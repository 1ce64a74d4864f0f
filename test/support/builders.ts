import type { FeedPaper } from '../../src/papers/feed-paper.ts';

let counter = 0;

/** A valid normalised paper; override what the test cares about. Ids are unique per call. */
export function aPaper(overrides: Partial<FeedPaper> = {}): FeedPaper {
  counter += 1;
  return {
    arxivId: `2609.${String(10000 + counter).padStart(5, '0')}`,
    title: `A study of things number ${counter}`,
    abstract: 'We study things. The results are good.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    organization: null,
    publishedAt: Date.parse('2026-08-30T00:00:00Z'),
    upvotes: 1,
    numComments: null,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    aiSummary: null,
    aiKeywords: null,
    thumbnail: null,
    ...overrides,
  };
}
