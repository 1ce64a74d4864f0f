import { describe, expect, it } from 'vitest';
import { aPaper } from '../support/builders.ts';
import { commandDeps, run, seed } from './harness.ts';

// `NEAR(a b)` is another engine's operator. Here its pieces are words: `NEAR(diffusion` is
// searched as the words "near diffusion" side by side, and `models)` as models. The reply
// describes that, not the unbalanced `NEAR(diffusion and models` it used to echo.

describe('search NEAR(a b)', () => {
  it('describes what it searches: the words side by side, and that NEAR is no operator', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-31', [
      aPaper({ arxivId: '2608.00001', title: 'Near diffusion: sampling models quickly' }),
      aPaper({ arxivId: '2608.00002', title: 'Diffusion models near the edge' }),
    ]);
    const reply = await run(deps, 'search', { query: 'NEAR(diffusion models)' });
    expect(reply.papers.map((paper) => paper.id)).toEqual(['2608.00001']);
    expect(reply.footer).toBe('Understood as: "NEAR diffusion" and models; NEAR is not an operator here: it is searched as a word. Ranked by relevance, upvotes and recency.');

    const plain = await run(deps, 'search', { query: 'foo(bar) diffusion' });
    expect(plain.footer).toMatch(/^Understood as: "foo bar" and diffusion\./);
  });
});
