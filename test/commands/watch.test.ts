import { describe, expect, it } from 'vitest';
import { autocomplete } from '../../commands/dispatch.ts';
import { aPaper } from '../support/builders.ts';
import { alice, bob, commandDeps, general, run, seed } from './harness.ts';

function deliveryCount(deps: ReturnType<typeof commandDeps>): number {
  return Number(deps.db.$client.prepare('SELECT count(*) AS n FROM deliveries').pluck().get());
}

describe('/papers watch', () => {
  it('saves a watch privately, shows the 30-day preview count and sends nothing for old papers', async () => {
    const deps = commandDeps();
    seed(deps, '2026-08-20', [aPaper({ title: 'Diffusion models at scale' }), aPaper({ title: 'Faster diffusion sampling' }), aPaper({ title: 'Graph networks' })]);
    seed(deps, '2026-06-01', [aPaper({ title: 'Old diffusion paper' })]);
    const reply = await run(deps, 'watch', { query: 'diffusion' });
    expect(reply.visibility).toBe('private');
    expect(reply.title).toBe('Watching: diffusion');
    expect(reply.text).toMatch(/would have matched 2 papers/);
    expect(reply.fields.find((f) => f.name === 'Your watches')?.value).toBe('1 of 25 (this is number 1)');
    expect(deliveryCount(deps)).toBe(0);
    const rows = deps.db.$client.prepare('SELECT platform, user_id, query FROM watches').all();
    expect(rows).toEqual([{ platform: 'discord', user_id: alice.id, query: 'diffusion' }]);
  });

  it('refuses a duplicate watch', async () => {
    const deps = commandDeps();
    await run(deps, 'watch', { query: 'state space -survey' });
    const again = await run(deps, 'watch', { query: '-survey  State Space' });
    expect(again).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(again.text.toLowerCase()).toMatch(/already/);
  });

  it('refuses past the per-user limit', async () => {
    const deps = commandDeps({ MAX_WATCHES_PER_USER: '2' });
    await run(deps, 'watch', { query: 'one' });
    await run(deps, 'watch', { query: 'two' });
    const third = await run(deps, 'watch', { query: 'three' });
    expect(third.kind).toBe('error');
    expect(third.text).toMatch(/2/);
    // Another user has their own allowance.
    expect((await run(deps, 'watch', { query: 'three' }, { user: bob })).kind).toBe('text');
  });

  it('refuses an empty query with the usage line', async () => {
    const reply = await run(commandDeps(), 'watch', { query: '   ' });
    expect(reply.kind).toBe('error');
    expect(reply.text).toMatch(/`query` must not be empty/);
    expect(reply.text).toContain('Usage: /papers watch <query>');
  });
});

describe('/papers watches and unwatch', () => {
  async function threeWatches() {
    const deps = commandDeps();
    for (const query of ['diffusion', 'author:"Jane Doe"', 'state space -survey']) await run(deps, 'watch', { query });
    return deps;
  }

  it('lists watches numbered, oldest first, privately', async () => {
    const deps = await threeWatches();
    const reply = await run(deps, 'watches');
    expect(reply.visibility).toBe('private');
    expect(reply.title).toBe('Your watches (3 of 25)');
    expect(reply.text.split('\n')).toEqual([
      '1. diffusion  (since 2026-09-01)',
      '2. author:"Jane Doe"  (since 2026-09-01)',
      '3. state space -survey  (since 2026-09-01)',
    ]);
    const none = await run(deps, 'watches', {}, { user: bob });
    expect(none.text).toMatch(/You have no watches/);
  });

  it('removes by list number and by query text', async () => {
    const deps = await threeWatches();
    const byNumber = await run(deps, 'unwatch', { watch: '2' });
    expect(byNumber.text).toBe('Removed the watch `author:"Jane Doe"`. You have 2 watches left.');
    const byQuery = await run(deps, 'unwatch', { watch: 'state space -survey' });
    expect(byQuery.text).toMatch(/Removed the watch `state space -survey`\. You have 1 watch left\./);
    const list = await run(deps, 'watches');
    expect(list.text).toBe('1. diffusion  (since 2026-09-01)');
  });

  it("says when there is no such watch and never touches someone else's", async () => {
    const deps = await threeWatches();
    const missing = await run(deps, 'unwatch', { watch: '9' });
    expect(missing).toMatchObject({ kind: 'error', visibility: 'private' });
    const foreign = await run(deps, 'unwatch', { watch: 'diffusion' }, { user: bob });
    expect(foreign.kind).toBe('error');
    expect((await run(deps, 'watches')).title).toBe('Your watches (3 of 25)');
  });

  it("autocompletes the user's own watches, filtered by what was typed", async () => {
    const deps = await threeWatches();
    const all = await autocomplete(deps, { name: 'unwatch', option: 'watch', partial: '', user: alice, channel: general });
    expect(all).toEqual([
      { name: '1. diffusion', value: '1' },
      { name: '2. author:"Jane Doe"', value: '2' },
      { name: '3. state space -survey', value: '3' },
    ]);
    const some = await autocomplete(deps, { name: 'unwatch', option: 'watch', partial: 'SPACE', user: alice, channel: general });
    expect(some).toEqual([{ name: '3. state space -survey', value: '3' }]);
    expect(await autocomplete(deps, { name: 'unwatch', option: 'watch', partial: '', user: bob, channel: general })).toEqual([]);
  });
});
