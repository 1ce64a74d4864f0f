import { describe, expect, it } from 'vitest';
import { alice, commandDeps, run } from './harness.ts';

// `/papers unwatch 2.` — the number copied from the watches list ("2. quasar") with its dot, or
// typed as "2)": the list number still, not a query nobody has.

describe('unwatch with the number as the list shows it', () => {
  it.each(['2.', '2)', '#2.'])('%s removes watch 2', async (ref) => {
    const deps = commandDeps();
    await run(deps, 'watch', { query: 'diffusion' });
    await run(deps, 'watch', { query: 'quasar' });
    const reply = await run(deps, 'unwatch', { watch: ref });
    expect(reply.kind).not.toBe('error');
    expect((await deps.store.listWatches(alice)).map((row) => row.query)).toEqual(['diffusion']);
  });
});
