import { describe, expect, it } from 'vitest';
import { autocomplete } from '../../commands/dispatch.ts';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { aPaper } from '../support/builders.ts';
import { alice, bob, commandDeps, general, run, seed } from './harness.ts';

function deliveryCount(deps: ReturnType<typeof commandDeps>): number {
  return Number(deps.db.$client.prepare('SELECT count(*) AS n FROM deliveries').pluck().get());
}

describe('/papers watch', () => {
  it('saves a watch privately, shows the 30-day preview count and sends nothing for old papers', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-20', [aPaper({ title: 'Diffusion models at scale' }), aPaper({ title: 'Faster diffusion sampling' }), aPaper({ title: 'Graph networks' })]);
    await seed(deps, '2026-06-01', [aPaper({ title: 'Old diffusion paper' })]);
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

  it('reads `video AND diffusion` as a duplicate of `video diffusion`', async () => {
    const deps = commandDeps();
    const first = await run(deps, 'watch', { query: 'video AND diffusion' });
    expect(first.fields.find((f) => f.name === 'Understood as')?.value).toBe('video and diffusion');
    const again = await run(deps, 'watch', { query: 'Diffusion video' });
    expect(again.text).toBe('You already watch `video AND diffusion` (number 1 in your watches).');
    expect((await run(deps, 'watch', { query: 'AND' })).text).toMatch(/^Nothing to watch for in `AND`/);
    // Only options typed (`watch artifacts:no`): no empty backticks.
    expect((await run(deps, 'watch', { query: 'artifacts:no' })).text).toMatch(/^Nothing to watch for: give a query: use words/);
    const excludesOnly = (await run(deps, 'watch', { query: '-diffusion' })).text;
    expect(excludesOnly).toBe('`-diffusion` only says what to leave out: add a word, a "phrase", author:"Name" or org:name to watch for, e.g. `video -diffusion`.');
    // The example it gives is a watch the bot takes.
    expect((await run(deps, 'watch', { query: 'video -diffusion' })).text).not.toMatch(/only says|needs at least one word/);
  });

  it('says how many to remove when the limit was lowered below the watches a user has', async () => {
    const deps = commandDeps();
    for (let i = 1; i <= 23; i += 1) await run(deps, 'watch', { query: `topic${i}` });
    deps.config.MAX_WATCHES_PER_USER = 5;
    const add = await run(deps, 'watch', { query: 'one more' });
    expect(add.text).toBe('You have 23 watches and the limit is 5: remove 19 of them to add one.');
    const list = await run(deps, 'watches');
    expect(list.title).toBe('Your watches (23; the limit is 5)');
    expect(list.footer).toMatch(/^Above the limit of 5: remove 19 to add one\. Remove one with /);
    deps.config.MAX_WATCHES_PER_USER = 23;
    expect((await run(deps, 'watch', { query: 'one more' })).text).toBe('You already have 23 watches, the limit is 23. Remove one first.');
    expect((await run(deps, 'watches')).title).toBe('Your watches (23 of 23)');
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

  it('reads `unwatch 26` as list number 26 only: with 25 watches it removes nothing and says so', async () => {
    const deps = commandDeps();
    for (let i = 1; i <= 25; i += 1) await run(deps, 'watch', { query: `topic${i} reasoning` });
    // One removed and one added: the ids now run 2..26 while the list numbers run 1..25.
    await run(deps, 'unwatch', { watch: '1' });
    await run(deps, 'watch', { query: 'topic26 reasoning' });
    const ids = deps.db.$client.prepare('SELECT id FROM watches ORDER BY id').pluck().all();
    expect(ids).toContain(26);
    const parsed = parseCommandText('/papers unwatch 26');
    if ('error' in parsed) throw new Error(parsed.error);
    const reply = await run(deps, parsed.name, parsed.rawOptions);
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(reply.text).toMatch(/^You have no watch 26 \(you have 25\)\./);
    expect((await run(deps, 'watches')).title).toBe('Your watches (25 of 25)');
    const none = await run(deps, 'unwatch', { watch: '1' }, { user: bob });
    expect(none.text).toMatch(/^You have no watches\./);
  });

  it('removes by a query with the same meaning: another word order, case, or a leading exclusion', async () => {
    const deps = commandDeps();
    await run(deps, 'watch', { query: 'Diffusion video' });
    await run(deps, 'watch', { query: '"state space" -survey' });
    expect((await run(deps, 'unwatch', { watch: 'video diffusion' })).text).toMatch(/^Removed the watch `Diffusion video`/);
    const parsed = parseCommandText('/papers unwatch -survey "state space"');
    if ('error' in parsed) throw new Error(parsed.error);
    expect((await run(deps, parsed.name, parsed.rawOptions)).text).toMatch(/^Removed the watch `"state space" -survey`\. You have 0 watches left\./);
  });

  it('reads any all-digit reference as a list number', async () => {
    const deps = await threeWatches();
    const reply = await run(deps, 'unwatch', { watch: '99999999999999999999' });
    expect(reply.text).toBe('You have no watch 99999999999999999999 (you have 3).');
  });

  it("autocompletes the user's own watches, filtered by what was typed, with values that name the watch itself", async () => {
    const deps = await threeWatches();
    await run(deps, 'watch', { query: '2024' });
    await run(deps, 'watch', { query: `long ${'x'.repeat(120)}` });
    const all = await autocomplete(deps, { name: 'unwatch', option: 'watch', partial: '', user: alice, channel: general });
    // The query text (not a list number) survives the list changing before the command is sent;
    // a number-like or over-long query falls back to its list number.
    expect(all.map((choice) => choice.value)).toEqual(['diffusion', 'author:"Jane Doe"', 'state space -survey', '4', '5']);
    expect(all[1]?.name).toBe('2. author:"Jane Doe"');
    const some = await autocomplete(deps, { name: 'unwatch', option: 'watch', partial: 'SPACE', user: alice, channel: general });
    expect(some).toEqual([{ name: '3. state space -survey', value: 'state space -survey' }]);
    expect(await autocomplete(deps, { name: 'unwatch', option: 'watch', partial: '', user: bob, channel: general })).toEqual([]);
  });

  it('an autocomplete value removes the watch it was offered for even after the list changed', async () => {
    const deps = commandDeps();
    // Ids no longer equal list positions.
    await run(deps, 'watch', { query: 'temporary' });
    await run(deps, 'unwatch', { watch: 'temporary' });
    for (const query of ['diffusion', 'author:"Jane Doe"', 'state space -survey']) await run(deps, 'watch', { query });
    const offered = await autocomplete(deps, { name: 'unwatch', option: 'watch', partial: 'space', user: alice, channel: general });
    await run(deps, 'unwatch', { watch: '1' });
    const reply = await run(deps, 'unwatch', { watch: offered[0]?.value ?? '' });
    expect(reply.text).toMatch(/^Removed the watch `state space -survey`/);
    expect((await run(deps, 'watches')).text).toBe('1. author:"Jane Doe"  (since 2026-09-01)');
  });
});
