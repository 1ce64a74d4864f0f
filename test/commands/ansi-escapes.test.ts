import { describe, expect, it } from 'vitest';
import { aPaper } from '../support/builders.ts';
import { alice, commandDeps, run, seed } from './harness.ts';

// Text copied from a coloured terminal carries ANSI escape sequences (`ESC[31m … ESC[0m`). The
// escape character alone used to become a space, leaving `[31mdiffusion` and `[0m` as query words
// that no paper holds. The whole sequence goes, so the query is what the person sees.

describe('ANSI escape sequences in typed text', () => {
  it('search and watch read the visible words only', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-31', [aPaper({ arxivId: '2608.00001', title: 'Diffusion models for video', abstract: 'We generate video.' })]);
    const reply = await run(deps, 'search', { query: '\u001b[1;31mdiffusion\u001b[0m video \u001b]0;title\u0007' });
    expect(reply.papers.map((paper) => paper.id)).toEqual(['2608.00001']);
    await run(deps, 'watch', { query: '\u001b[32mdiffusion\u001b[m' });
    expect((await deps.store.listWatches(alice)).map((row) => row.query)).toEqual(['diffusion']);
  });
});
