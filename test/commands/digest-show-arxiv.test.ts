import { describe, expect, it } from 'vitest';
import { commandDeps, run } from './harness.ts';

// `digest show` of an arXiv digest shows only settings that act on it: its posts get no
// follow-ups, and min_upvotes and sort are Daily Papers' filters (README, arXiv digests).

const admin = { isAdmin: true };

describe('digest show, source=arxiv', () => {
  it('says its posts get no follow-ups and that min_upvotes and sort do not apply to them', async () => {
    const deps = commandDeps({ ARXIV_CATEGORIES: 'cs.CL' });
    await run(deps, 'digest set', { source: 'arxiv', top: 3, min_upvotes: 5, sort: 'rising' }, admin);
    const show = await run(deps, 'digest show', {}, admin);
    const field = (name: string) => show.fields.find((candidate) => candidate.name === name)?.value;
    expect(field('Papers')).toBe('top 3 (min_upvotes and sort apply to Daily Papers only)');
    expect(field('Follow-ups')).toBe("none: they follow Daily Papers' upvotes");

    // The same settings on a Daily Papers or a combined digest are in force.
    await run(deps, 'digest set', { source: 'all' }, admin);
    const all = await run(deps, 'digest show', {}, admin);
    expect(all.fields.find((candidate) => candidate.name === 'Papers')?.value).toBe('top 3, at least 5 upvotes, rising first');
    expect(all.fields.find((candidate) => candidate.name === 'Follow-ups')?.value).toBe("in the post's thread (late risers, code released)");
  });
});
