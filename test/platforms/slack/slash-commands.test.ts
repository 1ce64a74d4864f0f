import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aPaper } from '../../support/builders.ts';
import { startHarness, type Harness, type Mode } from './slack-harness.ts';

// Every /papers subcommand through the real Bolt app, over HTTP (signed requests) and over
// Socket Mode, with the reply read from the response_url sink of the fake Slack.

const ADMIN = 'U0ADMIN';
const MEMBER = 'U0ALICE';

async function seed(h: Harness): Promise<void> {
  const now = h.deps.clock.now();
  await h.deps.store.upsertPapers(
    '2026-09-01',
    [
      aPaper({ arxivId: '2609.00001', title: 'Diffusion transformers for video', abstract: 'We scale diffusion transformers to long videos.', upvotes: 50 }),
      aPaper({ arxivId: '2609.00002', title: 'State space models revisited', abstract: 'Mamba layers without attention.', upvotes: 30 }),
      aPaper({ arxivId: '2609.00003', title: 'A survey of diffusion', abstract: 'We survey diffusion models.', upvotes: 20 }),
      aPaper({ arxivId: '2609.00004', title: 'Agents that plan', abstract: 'Planning with language models.', upvotes: 10 }),
      aPaper({ arxivId: '2609.00005', title: 'Tiny models on phones', abstract: 'Small models run on device.', upvotes: 5 }),
    ],
    now,
  );
}

describe.each<Mode>(['http', 'socket'])('/papers over %s', (mode) => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness(mode, { env: { COMMAND_RATE_LIMIT: '1000', SLACK_ADMIN_USER_IDS: ADMIN } });
    await seed(h);
  });

  afterEach(async () => {
    await h.close();
  });

  it('help (also the empty command) is a private reply listing the subcommands', async () => {
    for (const text of ['help', '']) {
      const reply = await h.command(text);
      expect(reply.responseType).toBe('ephemeral');
      expect(reply.all).toContain('search');
      expect(reply.all).toContain('digest set');
    }
  });

  it('today posts the latest day to the channel, ranked by upvotes', async () => {
    const reply = await h.command('today limit=3');
    expect(reply.responseType).toBe('in_channel');
    expect(reply.all).toContain('<https://huggingface.co/papers/2609.00001|Diffusion transformers for video>');
    expect(reply.all.indexOf('2609.00001')).toBeLessThan(reply.all.indexOf('2609.00002'));
    expect(reply.all).not.toContain('2609.00004|');
  });

  it('search ranks matches; a miss is private and suggests a looser query', async () => {
    const hit = await h.command('search diffusion -survey');
    expect(hit.responseType).toBe('in_channel');
    expect(hit.all).toContain('Diffusion transformers for video');
    expect(hit.all).not.toContain('A survey of diffusion');
    const miss = await h.command('search quantum chromodynamics');
    expect(miss.responseType).toBe('ephemeral');
    expect(miss.all).toContain('No stored papers match');
  });

  it('Slack-escaped text (&amp; &lt; &gt;) reaches the query language as the characters typed', async () => {
    // The user typed `search diffusion & video`; Slack sends `&amp;`. Read literally, "amp" would be a search word.
    const hit = await h.command('search diffusion &amp; video');
    expect(hit.all).toContain('Diffusion transformers for video');
  });

  it('paper shows one paper in full; a bad id gets a specific private error', async () => {
    const reply = await h.command('paper https://arxiv.org/abs/2609.00002v2');
    expect(reply.all).toContain('State space models revisited');
    expect(reply.all).toContain('Mamba layers without attention.');
    const bad = await h.command('paper not-an-id');
    expect(bad.responseType).toBe('ephemeral');
    expect(bad.all).toContain('is not an arXiv id');
  });

  it('a reply Slack refuses (a thumbnail it cannot fetch) is sent once more without images', async () => {
    h.fake.fault('response', { kind: 'status', status: 500 });
    const reply = await h.command('paper 2609.00001');
    expect(reply.all).toContain('Diffusion transformers for video');
    expect(JSON.stringify(reply.blocks)).not.toContain('"image"');
  });

  it('watch, watches and unwatch are private and change the stored watches', async () => {
    const added = await h.command('watch diffusion -survey', { user: MEMBER });
    expect(added.responseType).toBe('ephemeral');
    expect(added.all).toContain('Watching: diffusion -survey');
    expect((await h.deps.store.listWatches({ platform: 'slack', id: MEMBER })).map((w) => w.query)).toEqual(['diffusion -survey']);
    const list = await h.command('watches', { user: MEMBER });
    expect(list.responseType).toBe('ephemeral');
    expect(list.all).toContain('diffusion -survey');
    const removed = await h.command('unwatch 1', { user: MEMBER });
    expect(removed.all).toContain('Removed the watch');
    expect(await h.deps.store.listWatches({ platform: 'slack', id: MEMBER })).toEqual([]);
  });

  it('digest set with key=value options saves the channel digest for an admin from SLACK_ADMIN_USER_IDS', async () => {
    const reply = await h.command('digest set time=07:30 tz=Europe/Berlin top=10 query="diffusion -survey"', { user: ADMIN, channel: 'C0DIGEST' });
    expect(reply.all).toContain('Daily digest saved');
    expect(await h.deps.store.getDigest('slack', 'C0DIGEST')).toMatchObject({ time: '07:30', timezone: 'Europe/Berlin', top: 10, query: 'diffusion -survey', workspaceId: 'T0FAKE' });
    expect((await h.command('digest show', { user: ADMIN, channel: 'C0DIGEST' })).all).toContain('Europe/Berlin');
    expect((await h.command('digest preview', { user: ADMIN, channel: 'C0DIGEST' })).all).toContain('Digest preview');
    await h.command('digest off', { user: ADMIN, channel: 'C0DIGEST' });
    expect((await h.deps.store.getDigest('slack', 'C0DIGEST'))?.enabled).toBe(false);
  });

  it('digest set is refused (privately) to a member who is not a workspace admin; an admin per users.info may', async () => {
    h.fake.setUser(MEMBER, { is_admin: false, is_owner: false });
    h.fake.setUser('U0OWNER', { is_admin: false, is_owner: true });
    const refused = await h.command('digest set top=3', { user: MEMBER });
    expect(refused.responseType).toBe('ephemeral');
    expect(refused.all).toContain('Only workspace admins');
    expect(await h.deps.store.getDigest('slack', 'C0DIGEST')).toBeUndefined();
    const saved = await h.command('digest set top=3', { user: 'U0OWNER' });
    expect(saved.all).toContain('Daily digest saved');
    expect(h.fake.calls('users.info').map((call) => call.body.user)).toEqual([MEMBER, 'U0OWNER']);
  });

  it('status answers with the health of the bot', async () => {
    const reply = await h.command('status');
    expect(reply.all.toLowerCase()).toContain('ingest');
  });

  it.each([
    ['frobnicate', 'Unknown command'],
    ['digest', 'needs one of'],
    ['today limit=abc', 'Usage: /papers today'],
    ['today bogus=1', 'Unknown option'],
    ['digest set time=25:00', 'Usage: /papers digest set'],
    ['search', 'Usage: /papers search'],
  ])('%s → a private message with the usage', async (text, expected) => {
    const reply = await h.command(text, { user: ADMIN });
    expect(reply.responseType).toBe('ephemeral');
    expect(reply.all).toContain(expected);
  });
});
