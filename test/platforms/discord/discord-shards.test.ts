import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDiscord, type RunningDiscord } from '../../../src/platforms/discord/start-discord.ts';
import { startFakeDiscord, type FakeDiscord } from '../../support/fake-discord.ts';
import { testDeps, type TestDeps } from '../../support/test-deps.ts';
import { chatInput, member } from './interaction-payloads.ts';

// DISCORD_SHARDS / DISCORD_SHARD_COUNT against a fake gateway that recommends several shards: a
// replica identifies exactly its shards, and whichever shard an interaction arrives on, the
// replica holding it answers.

const Identify = z.object({ shard: z.tuple([z.number(), z.number()]) });

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function fakeWith(shardCount: number): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({ shardCount });
  open.push(fake);
  return fake;
}

async function replica(fake: FakeDiscord, env: Record<string, string>): Promise<{ deps: TestDeps; discord: RunningDiscord }> {
  const deps = testDeps({
    env: { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, COMMAND_RATE_LIMIT: '1000', ...env },
  });
  const discord = await startDiscord(deps, { register: false, readyTimeoutMs: 20_000 });
  open.push({ close: () => discord.stop() });
  return { deps, discord };
}

const identified = (fake: FakeDiscord) => fake.identifies.map((d) => Identify.parse(d).shard).sort((a, b) => a[0] - b[0]);

/** Dispatches `/papers help` on `shard` only and resolves with the callback's path once answered. */
async function answeredOn(fake: FakeDiscord, shard: number): Promise<string> {
  const interaction = chatInput(fake.applicationId, member(), 'help');
  const path = `/interactions/${interaction.id}/${interaction.token}/callback`;
  expect(fake.dispatchInteraction(interaction, shard)).toBe(1);
  const request = await fake.waitForRequest((r) => r.method === 'POST' && r.path === path);
  return request.path;
}

describe('Discord sharding', () => {
  it('DISCORD_SHARDS=1 of DISCORD_SHARD_COUNT=3: the replica identifies shard [1, 3] and nothing else', async () => {
    const fake = await fakeWith(3);
    const { discord, deps } = await replica(fake, { DISCORD_SHARD_COUNT: '3', DISCORD_SHARDS: '1' });
    expect(identified(fake)).toEqual([[1, 3]]);
    expect([...fake.liveShards()]).toEqual([[1, 1]]);
    expect(discord.client.ws.shards.map((shard) => shard.id)).toEqual([1]);
    const ready = deps.logLines().find((line) => line.msg === 'discord ready');
    expect(ready).toMatchObject({ shards: [1], shardCount: 3 });
  });

  it('two replicas split shards 0,2 and 1 of 3: every shard is held once and interactions on each are answered', async () => {
    const fake = await fakeWith(3);
    await replica(fake, { DISCORD_SHARD_COUNT: '3', DISCORD_SHARDS: '0,2' });
    await replica(fake, { DISCORD_SHARD_COUNT: '3', DISCORD_SHARDS: '1' });
    expect(identified(fake)).toEqual([[0, 3], [1, 3], [2, 3]]);
    expect([...fake.liveShards()].sort()).toEqual([[0, 1], [1, 1], [2, 1]]);
    for (const shard of [0, 1, 2]) expect(await answeredOn(fake, shard)).toMatch(/\/callback$/);
  });

  it('a range: DISCORD_SHARDS=0-1 of 2 holds both shards in one process', async () => {
    const fake = await fakeWith(2);
    await replica(fake, { DISCORD_SHARD_COUNT: '2', DISCORD_SHARDS: '0-1' });
    expect(identified(fake)).toEqual([[0, 2], [1, 2]]);
    for (const shard of [0, 1]) await answeredOn(fake, shard);
  });

  it('DISCORD_SHARD_COUNT alone: this process holds every one of the shards', async () => {
    const fake = await fakeWith(1);
    await replica(fake, { DISCORD_SHARD_COUNT: '2' });
    expect(identified(fake)).toEqual([[0, 2], [1, 2]]);
  });

  it('neither set: as many shards as Discord recommends, all in this process (auto)', async () => {
    const fake = await fakeWith(2);
    const { discord } = await replica(fake, {});
    expect(identified(fake)).toEqual([[0, 2], [1, 2]]);
    expect(discord.client.options.shardCount).toBe(2);
    for (const shard of [0, 1]) await answeredOn(fake, shard);
  });

  it('too few shards for Discord (close 4011): start-up fails at once, saying which variable to raise', async () => {
    const fake = await startFakeDiscord({ shardCount: 2, minShardCount: 2 });
    open.push(fake);
    const deps = testDeps({ env: { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, DISCORD_SHARD_COUNT: '1' } });
    await expect(startDiscord(deps, { register: false, readyTimeoutMs: 20_000 })).rejects.toThrow(
      /^Discord login failed: .*\(close code 4011, Sharding required: .*raise it, or unset it/,
    );
  });

  it('an interaction on a shard no live replica holds reaches nobody (the fake routes by shard)', async () => {
    const fake = await fakeWith(3);
    await replica(fake, { DISCORD_SHARD_COUNT: '3', DISCORD_SHARDS: '0' });
    expect(fake.dispatchInteraction(chatInput(fake.applicationId, member(), 'help'), 2)).toBe(0);
  });
});
