import { GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { startDiscord } from '../../../src/platforms/discord/start-discord.ts';
import { startFakeDiscord, type FakeDiscord } from '../../support/fake-discord.ts';
import { testDeps } from '../../support/test-deps.ts';
import { startHarness, type Harness } from './discord-harness.ts';

const open: Array<FakeDiscord | Harness> = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

const Identify = z.object({ token: z.string(), intents: z.number() });

describe('startDiscord', () => {
  it('identifies with the Guilds intent only and the configured token', async () => {
    const h = await startHarness({ register: false });
    open.push(h);
    expect(h.fake.identifies).toHaveLength(1);
    const identify = Identify.parse(h.fake.identifies[0]);
    expect(identify.intents).toBe(GatewayIntentBits.Guilds);
    expect(identify.token).toBe(h.fake.token);
    expect(h.fake.requests[0]?.path).toBe('/gateway/bot');
  });

  it('rejects (without crashing) when Discord refuses the token', async () => {
    const fake = await startFakeDiscord();
    open.push(fake);
    const deps = testDeps({ env: { DISCORD_TOKEN: 'wrong-token', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl } });
    await expect(startDiscord(deps, { register: false })).rejects.toThrow(/Discord login failed/);
    expect(fake.identifies).toHaveLength(0);
  });

  it('records the rate-limit waits discord.js obeys, for /papers status', async () => {
    const h = await startHarness({ register: false });
    open.push(h);
    h.fake.fail('POST', /^\/channels\/\d+\/messages$/, { kind: 'rate-limit', retryAfter: 0.1 });
    await h.discord.sender.send({ platform: 'discord', kind: 'channel', id: '700000000000000021' }, { kind: 'text', visibility: 'public', text: 'hi', papers: [], fields: [] }, { id: 1, key: 'k1' });
    expect(h.fake.messages).toHaveLength(1);
    // Recorded fire-and-forget from the REST client's event: wait for the write.
    await vi.waitFor(async () => {
      const waits = await h.deps.store.recentRateLimitWaits(0);
      expect(waits.map((wait) => wait.source)).toEqual(['discord']);
      expect(waits[0]?.waitMs).toBeGreaterThanOrEqual(100);
    });
  });

  it('logs a rate-limit wait it could not record; the send still succeeds (no unhandled rejection)', async () => {
    const h = await startHarness({ register: false });
    open.push(h);
    await h.deps.store.close();
    h.fake.fail('POST', /^\/channels\/\d+\/messages$/, { kind: 'rate-limit', retryAfter: 0.1 });
    await h.discord.sender.send({ platform: 'discord', kind: 'channel', id: '700000000000000021' }, { kind: 'text', visibility: 'public', text: 'hi', papers: [], fields: [] }, { id: 1, key: 'k2' });
    expect(h.fake.messages).toHaveLength(1);
    await vi.waitFor(() => expect(h.deps.logLines().map((line) => line.msg)).toContain('could not record a rate-limit wait'));
  });
});
