import { afterEach, describe, expect, it, vi } from 'vitest';
import { setDigest } from '../../../src/digest/set-digest.ts';
import { startHarness, type Harness } from './discord-harness.ts';
import { until } from '../../support/wait.ts';

// "The channel's configuration is kept (paused) and resumes when access returns."

const GUILD = '600000000000000001';
const CHANNEL = '700000000000000001';
const OTHER_GUILD_CHANNEL = '700000000000000002';

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

async function pausedDigests() {
  const harness = await startHarness({ register: false });
  open.push(harness);
  const { deps } = harness;
  const admin = '800000000000000001';
  await setDigest(deps, { platform: 'discord', id: CHANNEL, workspaceId: GUILD }, admin, { time: '09:00', top: 3 });
  await setDigest(deps, { platform: 'discord', id: OTHER_GUILD_CHANNEL, workspaceId: '600000000000000002' }, admin, { time: '10:00' });
  const now = deps.clock.now();
  await deps.store.pauseTarget('discord', CHANNEL, 'missing_access', now);
  await deps.store.pauseTarget('discord', OTHER_GUILD_CHANNEL, 'missing_access', now);
  return harness;
}

function guildPayload(id: string) {
  return {
    id,
    name: 'Readers',
    unavailable: false,
    owner_id: '800000000000000001',
    joined_at: '2026-09-01T10:00:00.000Z',
    member_count: 2,
    channels: [],
    threads: [],
    roles: [],
    emojis: [],
    stickers: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    features: [],
  };
}

describe('paused Discord digests', () => {
  it('resume when the bot is added to the server again, keeping their settings; other servers stay paused', async () => {
    const { fake, deps } = await pausedDigests();
    fake.dispatchEvent('GUILD_CREATE', guildPayload(GUILD));
    await until(async () => (await deps.store.getDigest('discord', CHANNEL))?.pausedReason === null, 'the channel resumed');
    const resumed = await deps.store.getDigest('discord', CHANNEL);
    expect(resumed?.pausedReason).toBeNull();
    expect(resumed).toMatchObject({ time: '09:00', top: 3, enabled: true });
    expect((await deps.store.getDigest('discord', OTHER_GUILD_CHANNEL))?.pausedReason).toBe('missing_access');
  });

  it('a resume that fails is logged, not an unhandled rejection', async () => {
    const { fake, deps } = await pausedDigests();
    await deps.store.close();
    fake.dispatchEvent('GUILD_CREATE', guildPayload(GUILD));
    await vi.waitFor(() => expect(deps.logLines().map((line) => line.msg)).toContain('could not resume paused digests'));
  });
});
