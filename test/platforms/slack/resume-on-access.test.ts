import { afterEach, describe, expect, it, vi } from 'vitest';
import { setDigest } from '../../../src/digest/set-digest.ts';
import { FAKE_BOT_USER, FAKE_TEAM } from '../../support/fake-slack.ts';
import { startHarness, type Harness, type Mode } from './slack-harness.ts';
import { until } from '../../support/wait.ts';

// "The channel's configuration is kept (paused) and resumes when access returns."

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

function eventBody(event: Record<string, unknown>, id: string): Record<string, unknown> {
  return {
    token: 'unused',
    team_id: FAKE_TEAM,
    api_app_id: 'AFAKE',
    event: { ...event, event_ts: '1700000000.3' },
    type: 'event_callback',
    event_id: id,
    event_time: 1_700_000_000,
    authorizations: [{ enterprise_id: null, team_id: FAKE_TEAM, user_id: FAKE_BOT_USER, is_bot: true, is_enterprise_install: false }],
  };
}

describe.each<Mode>(['socket', 'http'])('paused Slack digests (%s)', (mode) => {
  it('resume when the bot is invited back, but not when someone else joins', async () => {
    const h = await startHarness(mode);
    open.push(h);
    await setDigest(h.deps, { platform: 'slack', id: 'C1', workspaceId: FAKE_TEAM }, 'UADMIN', { time: '08:30', top: 4 });
    await h.deps.store.pauseTarget('slack', 'C1', 'missing_access', h.deps.clock.now());
    // A second paused channel: the bot invited there, after the other join, resumes it; once that
    // is logged, the listener has handled the join before it too.
    await setDigest(h.deps, { platform: 'slack', id: 'C9', workspaceId: FAKE_TEAM }, 'UADMIN', {});
    await h.deps.store.pauseTarget('slack', 'C9', 'missing_access', h.deps.clock.now());

    await h.event(eventBody({ type: 'member_joined_channel', user: 'USOMEONE', channel: 'C1', channel_type: 'C', team: FAKE_TEAM }, 'Ev-a'));
    await h.event(eventBody({ type: 'member_joined_channel', user: FAKE_BOT_USER, channel: 'C9', channel_type: 'C', team: FAKE_TEAM }, 'Ev-a9'));
    await until(() => h.deps.logLines().some((line) => line.msg === 'resumed paused digest' && line.channelId === 'C9'), 'C9 resumed');
    expect((await h.deps.store.getDigest('slack', 'C1'))?.pausedReason).toBe('missing_access');

    await h.event(eventBody({ type: 'member_joined_channel', user: FAKE_BOT_USER, channel: 'C1', channel_type: 'C', team: FAKE_TEAM }, 'Ev-b'));
    await until(async () => (await h.deps.store.getDigest('slack', 'C1'))?.pausedReason === null, 'C1 resumed');
    expect(await h.deps.store.getDigest('slack', 'C1')).toMatchObject({ pausedReason: null, time: '08:30', top: 4, enabled: true });
  });

  it('resume when the channel is unarchived', async () => {
    const h = await startHarness(mode);
    open.push(h);
    await setDigest(h.deps, { platform: 'slack', id: 'C2', workspaceId: FAKE_TEAM }, 'UADMIN', {});
    await h.deps.store.pauseTarget('slack', 'C2', 'channel_gone', h.deps.clock.now());
    await h.event(eventBody({ type: 'channel_unarchive', channel: 'C2', user: 'UADMIN' }, 'Ev-c'));
    await until(async () => (await h.deps.store.getDigest('slack', 'C2'))?.pausedReason === null, 'C2 resumed');
    expect((await h.deps.store.getDigest('slack', 'C2'))?.pausedReason).toBeNull();
  });

  it('a resume that fails is logged', async () => {
    const h = await startHarness(mode);
    open.push(h);
    await h.deps.store.close();
    await h.event(eventBody({ type: 'channel_unarchive', channel: 'C3', user: 'UADMIN' }, 'Ev-d'));
    await vi.waitFor(() => expect(h.deps.logLines().map((line) => line.msg)).toContain('could not resume a paused digest'));
  });
});
