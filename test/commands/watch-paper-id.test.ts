import { describe, expect, it } from 'vitest';
import { alice, commandDeps, run } from './harness.ts';

// Search answers an arXiv id or link with that paper. A watch on one would be saved as the link's
// words (`https huggingface co papers 2612 00003`), which no new paper ever holds: it would never
// alert. It is refused, pointing at `paper`, and nothing is saved.

describe('watch with an arXiv id or link', () => {
  it.each(['2612.00003', 'https://huggingface.co/papers/2612.00003', 'arxiv.org/abs/2612.00003v2', '<https://arxiv.org/pdf/2612.00003>'])(
    '%s is refused, naming the paper command',
    async (query) => {
      const deps = commandDeps();
      const reply = await run(deps, 'watch', { query });
      expect(reply.kind).toBe('error');
      expect(reply.text).toContain('/papers paper 2612.00003');
      expect(await deps.store.listWatches(alice)).toEqual([]);
    },
  );

  it('an id next to words is still a watch on the words', async () => {
    const deps = commandDeps();
    expect((await run(deps, 'watch', { query: '2612.00003 follow-up' })).kind).not.toBe('error');
    expect((await deps.store.listWatches(alice)).map((row) => row.query)).toEqual(['2612.00003 follow-up']);
  });
});
