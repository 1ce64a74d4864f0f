import { afterEach, describe, expect, it } from 'vitest';
import { getDigest, pauseTarget, setDigest } from '../../../src/store/sqlite/digests.ts';
import { startHarness, type Harness } from './discord-harness.ts';

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
  const admin = { platform: 'discord', id: '800000000000000001' } as const;
  setDigest(deps, { platform: 'discord', id: CHANNEL, workspaceId: GUILD }, admin, { time: '09:00', top: 3 });
  setDigest(deps, { platform: 'discord', id: OTHER_GUILD_CHANNEL, workspaceId: '600000000000000002' }, admin, { time: '10:00' });
  const now = deps.clock.now().getTime();
  pauseTarget(deps.db, 'discord', CHANNEL, 'missing_access', now);
  pauseTarget(deps.db, 'discord', OTHER_GUILD_CHANNEL, 'missing_access', now);
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

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('paused Discord digests', () => {
  it('resume when the bot is added to the server again, keeping their settings; other servers stay paused', async () => {
    const { fake, deps } = await pausedDigests();
    fake.dispatchEvent('GUILD_CREATE', guildPayload(GUILD));
    await until(() => getDigest(deps.db, 'discord', CHANNEL)?.pausedReason === null);
    const resumed = getDigest(deps.db, 'discord', CHANNEL);
    expect(resumed?.pausedReason).toBeNull();
    expect(resumed).toMatchObject({ time: '09:00', top: 3, enabled: true });
    expect(getDigest(deps.db, 'discord', OTHER_GUILD_CHANNEL)?.pausedReason).toBe('missing_access');
  });
});
