import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

// DISCORD_SHARD_COUNT and DISCORD_SHARDS: each mistake is one line naming the variable. Shards
// need the Discord bot, so every case sets DISCORD_TOKEN (without it, see load-config.test.ts).

const withBot = (env: Record<string, string>) => ({ DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: '123456789012345678', ...env });

function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(withBot(env));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const LIST = 'must be shard ids such as 0,1 or a range such as 0-3 (each id once)';

describe('Discord shard variables', () => {
  it('unset: neither is set (the client then holds every recommended shard)', () => {
    const config = loadConfig({});
    expect(config.DISCORD_SHARD_COUNT).toBeUndefined();
    expect(config.DISCORD_SHARDS).toBeUndefined();
  });

  it('reads lists, ranges and both mixed, in order, spaces allowed', () => {
    expect(loadConfig(withBot({ DISCORD_SHARD_COUNT: '4', DISCORD_SHARDS: '0,1' })).DISCORD_SHARDS).toEqual([0, 1]);
    expect(loadConfig(withBot({ DISCORD_SHARD_COUNT: '4', DISCORD_SHARDS: '0-3' })).DISCORD_SHARDS).toEqual([0, 1, 2, 3]);
    expect(loadConfig(withBot({ DISCORD_SHARD_COUNT: '8', DISCORD_SHARDS: ' 7, 2 - 3 ' })).DISCORD_SHARDS).toEqual([2, 3, 7]);
    const countOnly = loadConfig(withBot({ DISCORD_SHARD_COUNT: '3' }));
    expect(countOnly.DISCORD_SHARD_COUNT).toBe(3);
    expect(countOnly.DISCORD_SHARDS).toBeUndefined();
  });

  it('a shard list without a count', () => {
    expect(problemsFor({ DISCORD_SHARDS: '0,1' })).toEqual(['DISCORD_SHARDS needs DISCORD_SHARD_COUNT (the total number of shards over all replicas)']);
  });

  it('an id at or past the count', () => {
    expect(problemsFor({ DISCORD_SHARD_COUNT: '3', DISCORD_SHARDS: '1-3' })).toEqual([
      'DISCORD_SHARDS lists shard 3, but ids go from 0 to 2 with DISCORD_SHARD_COUNT=3',
    ]);
  });

  it.each(['1-', '-1', '3-1', '0,,1', '0;1', 'a', '1.5', '0,1,1', '0-2,2', '0-99999999', 'all'])('a malformed list %j', (value) => {
    expect(problemsFor({ DISCORD_SHARD_COUNT: '4', DISCORD_SHARDS: value })).toEqual([`DISCORD_SHARDS ${LIST}, got '${value}'`]);
  });

  it.each(['0', '-2', '2.5', 'auto', '100001'])('a count that is not a whole number from 1 %j', (value) => {
    expect(problemsFor({ DISCORD_SHARD_COUNT: value })).toEqual([`DISCORD_SHARD_COUNT must be a whole number of shards from 1 to 100000, got '${value}'`]);
  });

  it('a bad count and a list are reported together without a second, confusing line', () => {
    expect(problemsFor({ DISCORD_SHARD_COUNT: 'three', DISCORD_SHARDS: '0' })).toEqual([
      "DISCORD_SHARD_COUNT must be a whole number of shards from 1 to 100000, got 'three'",
    ]);
  });
});
