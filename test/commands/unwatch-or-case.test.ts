import { describe, expect, it } from 'vitest';
import { alice, commandDeps, run } from './harness.ts';

// Upper-case OR joins terms, lower-case `or` is a word: `llm OR agents` and `LLM or Agents` are two
// watches (watch accepts both). Unwatch by query removes the one that means what was typed, never
// the other because the letters match ignoring case.

describe('unwatch by a query that differs from another watch only in the case of OR', () => {
  it('removes the watch with the same meaning, and refuses a query no watch means', async () => {
    const deps = commandDeps();
    await run(deps, 'watch', { query: 'llm OR agents' });
    await run(deps, 'watch', { query: 'LLM or Agents' });
    const queries = async () => (await deps.store.listWatches(alice)).map((row) => row.query);
    expect(await queries()).toEqual(['llm OR agents', 'LLM or Agents']);

    expect((await run(deps, 'unwatch', { watch: 'llm or agents' })).kind).not.toBe('error');
    expect(await queries()).toEqual(['llm OR agents']);

    expect((await run(deps, 'unwatch', { watch: 'LLM OR AGENTS' })).kind).not.toBe('error');
    expect(await queries()).toEqual([]);
  });

  it('does not remove `a or b` for `a OR b` when only the former is watched', async () => {
    const deps = commandDeps();
    await run(deps, 'watch', { query: 'LLM or Agents' });
    const reply = await run(deps, 'unwatch', { watch: 'llm OR agents' });
    expect(reply.kind).toBe('error');
    expect((await deps.store.listWatches(alice)).map((row) => row.query)).toEqual(['LLM or Agents']);
  });
});
