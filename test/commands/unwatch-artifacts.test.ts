import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { alice, commandDeps, run } from './harness.ts';

// `artifacts:no` is an option of the watch, never part of its query: the text typed to add a
// watch with it also names that watch to remove it.

async function runText(deps: ReturnType<typeof commandDeps>, text: string) {
  const parsed = parseCommandText(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return run(deps, parsed.name, parsed.rawOptions);
}

describe('unwatch by the text typed to add a watch with artifacts:no', () => {
  it('finds the watch in chat text and in a Discord query option', async () => {
    const deps = commandDeps();
    await runText(deps, 'watch "world model" artifacts:no');
    await run(deps, 'watch', { query: 'agents artifacts:no' });
    const queries = async () => (await deps.store.listWatches(alice)).map((row) => row.query);
    expect(await queries()).toEqual(['"world model"', 'agents']);

    const first = await runText(deps, 'unwatch "world model" artifacts:no');
    expect(first).toMatchObject({ kind: 'text', text: 'Removed the watch `"world model"`. You have 1 watch left.' });
    const second = await run(deps, 'unwatch', { watch: 'agents ARTIFACTS=no' });
    expect(second).toMatchObject({ kind: 'text', text: 'Removed the watch `agents`. You have 0 watches left.' });
    expect(await queries()).toEqual([]);
  });

  it('takes artifacts=no in chat text as it does for watch', async () => {
    const deps = commandDeps();
    await runText(deps, 'watch artifacts=no "world model"');
    const reply = await runText(deps, 'unwatch artifacts=no "world model"');
    expect(reply).toMatchObject({ kind: 'text', text: 'Removed the watch `"world model"`. You have 0 watches left.' });
  });

  it('tells a watch of the words apart from one whose query holds "artifacts:no" quoted', async () => {
    const deps = commandDeps();
    await run(deps, 'watch', { query: 'benchmark artifacts:no' });
    await run(deps, 'watch', { query: '"artifacts:no" benchmark' });
    const queries = async () => (await deps.store.listWatches(alice)).map((row) => row.query);
    expect(await queries()).toEqual(['benchmark', '"artifacts:no" benchmark']);
    expect((await run(deps, 'unwatch', { watch: 'artifacts:no benchmark' })).kind).toBe('text');
    expect(await queries()).toEqual(['"artifacts:no" benchmark']);
    expect((await run(deps, 'unwatch', { watch: '"artifacts:no" benchmark' })).kind).toBe('text');
    expect(await queries()).toEqual([]);
  });
});
