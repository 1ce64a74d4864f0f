import { describe, expect, it } from 'vitest';
import { autocomplete } from '../../commands/dispatch.ts';
import { aPaper } from '../support/builders.ts';
import { alice, commandDeps, general, run, seed } from './harness.ts';

const admin = { isAdmin: true };

function digestRow(deps: ReturnType<typeof commandDeps>) {
  return deps.db.$client
    .prepare('SELECT time, timezone, top, min_upvotes, query, post_when_empty, enabled, updated_by FROM channel_digests WHERE platform = ? AND channel_id = ?')
    .get('discord', general.id);
}

describe('/papers digest set', () => {
  it('saves the channel digest for an admin and says when it posts next', async () => {
    const deps = commandDeps();
    const reply = await run(deps, 'digest set', { time: '9:30', timezone: 'Europe/Berlin', top: 10, min_upvotes: 5, query: 'llm -survey', post_when_empty: true }, admin);
    expect(reply).toMatchObject({ kind: 'text', visibility: 'public', title: 'Daily digest saved' });
    expect(reply.text).toBe('Every day at 09:30 (Europe/Berlin) this channel gets the top 10 papers matching `llm -survey` of the previous feed day.');
    // 10:00 UTC = 12:00 in Berlin: 09:30 has passed, so tomorrow.
    expect(reply.fields.find((f) => f.name === 'Next post')?.value).toBe('2026-09-02 09:30 GMT+2 (in 21 h 30 min)');
    expect(digestRow(deps)).toEqual({
      time: '09:30',
      timezone: 'Europe/Berlin',
      top: 10,
      min_upvotes: 5,
      query: 'llm -survey',
      post_when_empty: 1,
      enabled: 1,
      updated_by: alice.id,
    });
  });

  it('takes Slack-style text values', async () => {
    const deps = commandDeps();
    await run(deps, 'digest set', { time: '07:00', top: '3', post_when_empty: 'yes' }, admin);
    expect(digestRow(deps)).toMatchObject({ time: '07:00', timezone: 'UTC', top: 3, post_when_empty: 1 });
  });

  it('is refused to non-admins, as are show, off and preview', async () => {
    const deps = commandDeps();
    for (const name of ['digest set', 'digest show', 'digest off', 'digest preview']) {
      const reply = await run(deps, name, {});
      expect(reply, name).toMatchObject({ kind: 'error', visibility: 'private' });
      expect(reply.text).toBe("Only members with Manage Server can change or inspect this channel's digest.");
    }
    expect(digestRow(deps)).toBeUndefined();
  });

  it.each([
    [{ time: '25:00' }, '`time` must be a time of day as HH:MM on a 24-hour clock, like 09:00 or 17:30 (you gave `25:00`).'],
    [{ time: 'nine' }, '`time` must be a time of day as HH:MM on a 24-hour clock, like 09:00 or 17:30 (you gave `nine`).'],
    [{ timezone: 'Mars/Olympus' }, '`timezone` must be an IANA time zone such as Europe/Berlin, America/New_York or UTC (you gave `Mars/Olympus`).'],
    [{ top: 0 }, '`top` must be at least 1 (you gave `0`).'],
    [{ top: 'ten' }, '`top` must be a whole number (you gave `ten`).'],
    [{ post_when_empty: 'maybe' }, '`post_when_empty` must be yes or no (you gave `maybe`).'],
  ])('explains a bad value: %j', async (options, expected) => {
    const reply = await run(commandDeps(), 'digest set', options, admin);
    expect(reply.kind).toBe('error');
    expect(reply.text.split('\n')[0]).toBe(expected);
    expect(reply.text).toContain('Usage: /papers digest set');
  });

  it('refuses to set a digest in a DM', async () => {
    const reply = await run(commandDeps(), 'digest set', {}, { isAdmin: true, channel: { platform: 'discord', id: 'D1', isDm: true } });
    expect(reply.kind).toBe('error');
    expect(reply.text).toMatch(/belong to a channel/);
  });

  it('autocompletes time zones', async () => {
    const choices = await autocomplete(commandDeps(), { name: 'digest set', option: 'timezone', partial: 'berl', user: alice, channel: general });
    expect(choices).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
  });
});

describe('/papers digest show / off', () => {
  it('shows nothing configured, then the settings, then off', async () => {
    const deps = commandDeps();
    expect((await run(deps, 'digest show', {}, admin)).text).toMatch(/This channel has no digest/);
    await run(deps, 'digest set', { time: '08:00', timezone: 'America/New_York', top: 7 }, admin);
    const shown = await run(deps, 'digest show', {}, admin);
    expect(shown.title).toBe('Daily digest for this channel');
    expect(Object.fromEntries(shown.fields.map((f) => [f.name, f.value]))).toMatchObject({
      Time: '08:00 America/New_York',
      Papers: 'top 7',
      Query: 'every paper',
      'Empty days': 'stay quiet',
      // 10:00 UTC is 06:00 in New York: 08:00 is still to come today.
      'Next post': '2026-09-01 08:00 EDT (in 2 h)',
    });

    const off = await run(deps, 'digest off', {}, admin);
    expect(off.text).toMatch(/turned off.*settings are kept/);
    expect(digestRow(deps)).toMatchObject({ enabled: 0, top: 7 });
    const after = await run(deps, 'digest show', {}, admin);
    expect(after.title).toBe('Daily digest for this channel (off)');
  });

  it('digest off without a digest is a clear error', async () => {
    const reply = await run(commandDeps(), 'digest off', {}, admin);
    expect(reply.kind).toBe('error');
    expect(reply.text).toMatch(/no digest/);
  });
});

describe('/papers digest preview', () => {
  it('shows what would be posted and what is left out, and why', async () => {
    const deps = commandDeps();
    seed(deps, '2026-08-31', [
      aPaper({ title: 'LLM agents plan', upvotes: 30 }),
      aPaper({ title: 'LLM survey of everything', upvotes: 40 }),
      aPaper({ title: 'Tiny LLM note', upvotes: 1 }),
      aPaper({ title: 'Protein folding', upvotes: 50 }),
    ]);
    await run(deps, 'digest set', { query: 'llm -survey', min_upvotes: 5 }, admin);
    const preview = await run(deps, 'digest preview', {}, admin);
    expect(preview.visibility).toBe('private');
    expect(preview.papers.map((p) => p.title)).toEqual(['LLM agents plan']);
    const fields = preview.fields.map((f) => `${f.name}: ${f.value}`).join('\n');
    expect(fields).toContain('LLM survey of everything');
    expect(fields).toContain('Tiny LLM note');
    expect(fields).toContain('Protein folding');
    expect(fields).toMatch(/Below 5 upvotes/);
  });

  it('previews the defaults before setup and falls back to the latest day with papers', async () => {
    const deps = commandDeps();
    seed(deps, '2026-08-28', [aPaper({ title: 'Friday' })]);
    const preview = await run(deps, 'digest preview', {}, admin);
    expect(preview.text).toMatch(/no digest yet: previewing the defaults/);
    expect(preview.text).toMatch(/Yesterday \(2026-08-31\) has no papers; previewing 2026-08-28/);
    expect(preview.papers.map((p) => p.title)).toEqual(['Friday']);
  });

  it('takes a date and validates it', async () => {
    const deps = commandDeps();
    seed(deps, '2026-08-28', [aPaper({ title: 'Friday' })]);
    expect((await run(deps, 'digest preview', { date: '2026-08-28' }, admin)).papers).toHaveLength(1);
    const bad = await run(deps, 'digest preview', { date: '2026-02-30' }, admin);
    expect(bad.text.split('\n')[0]).toBe('`date` must be a feed day as YYYY-MM-DD, like 2026-09-01 (you gave `2026-02-30`).');
  });
});
