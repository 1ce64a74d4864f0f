import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digestPreview } from '../../commands/digest-preview.ts';
import { autocomplete } from '../../commands/dispatch.ts';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { dueDigests } from '../../src/digest/due-digests.ts';
import { enqueueDigest } from '../../src/digest/enqueue-digest.ts';
import { MAX_MIN_UPVOTES } from '../../src/digest/digest-options.ts';
import { ingestRuns } from '../../src/store/sqlite/schema.ts';
import { aPaper } from '../support/builders.ts';
import { alice, commandDeps, general, run, seed } from './harness.ts';
import { registeredOptions } from '../platforms/discord/interaction-payloads.ts';

const admin = { isAdmin: true };

/** An ingest run that fetched `feedDate` (the feed's list for that day is stored). */
function fetched(deps: ReturnType<typeof commandDeps>, feedDate: string, status: 'ok' | 'empty') {
  const at = Date.parse(`${feedDate}T23:59:00Z`) + 3_600_000;
  deps.db.insert(ingestRuns).values({ feedDate, status, startedAt: at, finishedAt: at + 1000 }).run();
}

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
    expect(reply.fields.find((f) => f.name === 'Next post')?.value).toBe('2026-09-02 09:30 GMT+2 (in 21 h 30 min), for feed day 2026-09-01');
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

  it('keeps the zone name as typed, fixing only its case (ICU would say Europe/Kiev)', async () => {
    const deps = commandDeps();
    const reply = await run(deps, 'digest set', { timezone: 'europe/kyiv' }, admin);
    expect(reply.text).toContain('(Europe/Kyiv)');
    expect(reply.fields.find((f) => f.name === 'Time')?.value).toBe('09:00 Europe/Kyiv');
    await run(deps, 'digest set', { timezone: 'Asia/Kolkata' }, admin);
    expect(digestRow(deps)).toMatchObject({ timezone: 'Asia/Kolkata' });
  });

  it('has one bound for min_upvotes: validation, usage and the Discord option agree', async () => {
    expect(MAX_MIN_UPVOTES).toBe(1_000_000);
    const deps = commandDeps();
    const huge = await run(deps, 'digest set', { min_upvotes: '99999999999999999999' }, admin);
    expect(huge.text.split('\n')[0]).toBe(`\`min_upvotes\` must be at most ${MAX_MIN_UPVOTES} (you gave \`99999999999999999999\`).`);
    expect(huge.text).toContain(`[min_upvotes=0-${MAX_MIN_UPVOTES}]`);
    const bigTop = await run(deps, 'digest set', { top: '99999999999999999999' }, admin);
    expect(bigTop.text.split('\n')[0]).toBe('`top` must be at most 25 (you gave `99999999999999999999`).');
    expect(registeredOptions('digest set').find((o) => o.name === 'min_upvotes')).toMatchObject({ min_value: 0, max_value: MAX_MIN_UPVOTES });
    expect((await run(deps, 'digest set', { min_upvotes: String(MAX_MIN_UPVOTES) }, admin)).kind).toBe('text');
    expect(digestRow(deps)).toMatchObject({ min_upvotes: MAX_MIN_UPVOTES });
  });

  it('the README states the same min_upvotes bound', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`[min_upvotes:0-${MAX_MIN_UPVOTES}]`);
    expect(readme).toContain(`leave out papers with fewer upvotes, 0–${MAX_MIN_UPVOTES}`);
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

  it('autocompletes zones under their current names, where ICU lists an old one', async () => {
    const pick = (partial: string) => autocomplete(commandDeps(), { name: 'digest set', option: 'timezone', partial, user: alice, channel: general });
    expect(await pick('kyiv')).toEqual([{ name: 'Europe/Kyiv', value: 'Europe/Kyiv' }]);
    expect(await pick('kolkata')).toEqual([{ name: 'Asia/Kolkata', value: 'Asia/Kolkata' }]);
    expect(await pick('ho chi')).toEqual([{ name: 'Asia/Ho_Chi_Minh', value: 'Asia/Ho_Chi_Minh' }]);
    expect(await pick('argentina/buenos')).toEqual([{ name: 'America/Argentina/Buenos_Aires', value: 'America/Argentina/Buenos_Aires' }]);
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
      'Next post': '2026-09-01 08:00 EDT (in 2 h), for feed day 2026-08-31',
    });

    const off = await run(deps, 'digest off', {}, admin);
    expect(off.text).toMatch(/turned off.*settings are kept/);
    expect(digestRow(deps)).toMatchObject({ enabled: 0, top: 7 });
    const after = await run(deps, 'digest show', {}, admin);
    expect(after.title).toBe('Daily digest for this channel (off)');
  });

  it('digest set after off says the digest is back on', async () => {
    const deps = commandDeps();
    expect((await run(deps, 'digest set', {}, admin)).title).toBe('Daily digest saved');
    await run(deps, 'digest off', {}, admin);
    expect((await run(deps, 'digest set', {}, admin)).title).toBe('Daily digest turned back on');
    expect((await run(deps, 'digest set', { top: 3 }, admin)).title).toBe('Daily digest saved');
    await deps.store.pauseTarget('discord', general.id, 'missing_access', 1);
    expect((await run(deps, 'digest set', {}, admin)).title).toBe('Daily digest resumed');
  });

  it('a second digest off says it already was off', async () => {
    const deps = commandDeps();
    await run(deps, 'digest set', {}, admin);
    expect((await run(deps, 'digest off', {}, admin)).text).toMatch(/^Daily digest turned off/);
    const again = await run(deps, 'digest off', {}, admin);
    expect(again.text).toBe('The daily digest of this channel is already off. Its settings are kept: `/papers digest set` turns it back on.');
    expect(again.text).not.toMatch(/turned off/);
  });

  it('says "not posted yet" until a digest was posted, then the day it posted', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-09-01', [aPaper({ title: 'Tuesday paper' })]);
    const set = await run(deps, 'digest set', { time: '09:00' }, admin);
    const lastPosted = async () => (await run(deps, 'digest show', {}, admin)).fields.find((f) => f.name === 'Last day posted')?.value;
    expect(set.fields.find((f) => f.name === 'Last day posted')?.value).toBe('not posted yet');
    expect(await lastPosted()).toBe('not posted yet');

    // The next morning the scheduler queues Tuesday's post, then the sender delivers it.
    deps.clock.set('2026-09-02T10:00:00Z');
    const [due] = dueDigests(await deps.store.listDigests(), deps.clock.now(), '2026-09-01');
    if (!due) throw new Error('digest not due');
    expect(await enqueueDigest(deps, due, deps.clock.now())).toBe('queued');
    expect(await lastPosted()).toBe('2026-09-01 is queued, not posted yet');
    const id = deps.db.$client.prepare("SELECT id FROM deliveries WHERE kind = 'digest'").pluck().get();
    await deps.store.markSent(Number(id), 'm1', deps.clock.now());
    expect(await lastPosted()).toBe('2026-09-01');
  });

  it('an empty day recorded as skipped is not a post', async () => {
    const deps = commandDeps();
    await run(deps, 'digest set', { time: '09:00' }, admin);
    deps.clock.set('2026-09-02T10:00:00Z');
    const [due] = dueDigests(await deps.store.listDigests(), deps.clock.now(), '2026-09-01');
    if (!due) throw new Error('digest not due');
    expect(await enqueueDigest(deps, due, deps.clock.now())).toBe('skipped_empty');
    expect((await run(deps, 'digest show', {}, admin)).fields.find((f) => f.name === 'Last day posted')?.value).toBe('not posted yet');
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
    await seed(deps, '2026-08-31', [
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
    await seed(deps, '2026-08-28', [aPaper({ title: 'Friday' })]);
    const preview = await run(deps, 'digest preview', {}, admin);
    expect(preview.text).toMatch(/no digest yet: previewing the defaults/);
    expect(preview.text).toMatch(/Yesterday \(2026-08-31\) has no papers; previewing 2026-08-28/);
    expect(preview.papers.map((p) => p.title)).toEqual(['Friday']);
  });

  it('takes a date and validates it', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-28', [aPaper({ title: 'Friday' })]);
    expect((await run(deps, 'digest preview', { date: '2026-08-28' }, admin)).papers).toHaveLength(1);
    const bad = await run(deps, 'digest preview', { date: '2026-02-30' }, admin);
    expect(bad.text.split('\n')[0]).toBe('`date` must be a feed day as YYYY-MM-DD, like 2026-09-01 (you gave `2026-02-30`).');
  });

  it('takes a bare date in Slack/console text, as the README writes it', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-28', [aPaper({ title: 'Friday' })]);
    for (const text of ['digest preview 2026-08-28', 'digest preview date=2026-08-28', 'digest preview date:2026-08-28', 'digest preview "2026-08-28"', 'digest preview “2026-08-28”']) {
      const parsed = parseCommandText(text);
      if ('error' in parsed) throw new Error(`${text}: ${parsed.error}`);
      const preview = await run(deps, parsed.name, parsed.rawOptions, admin);
      expect(preview.title, text).toBe('Digest preview — Fri 28 Aug 2026');
      expect(preview.papers.map((p) => p.title)).toEqual(['Friday']);
    }
  });

  it.each([
    ['llm min:-1', '`min:-1` is malformed: min: takes a whole number of upvotes from 0 to 1,000,000, like min:10. To filter for the text itself, quote it: "min:-1".'],
    ['agents since:2026-1-5', '`since:2026-1-5` is malformed: since: takes a feed day as YYYY-MM-DD; did you mean since:2026-01-05? To filter for the text itself, quote it: "since:2026-1-5".'],
    ['-', /^Nothing to filter for in `-`/],
  ])('refuses the filter %j as search does, and saves nothing', async (query, problem) => {
    const deps = commandDeps();
    const reply = await run(deps, 'digest set', { query }, admin);
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(reply.text).toMatch(problem);
    expect(digestRow(deps)).toBeUndefined();
  });

  it('takes an empty filter as every paper', async () => {
    const deps = commandDeps();
    await run(deps, 'digest set', { query: 'llm' }, admin);
    const reply = await run(deps, 'digest set', { query: '' }, admin);
    expect(reply.kind).toBe('text');
    expect(digestRow(deps)).toMatchObject({ query: '' });
  });

  it('takes a filter that only excludes: the day less those papers', async () => {
    const deps = commandDeps();
    const reply = await run(deps, 'digest set', { query: '-survey' }, admin);
    expect(reply.kind).toBe('text');
    expect(digestRow(deps)).toMatchObject({ query: '-survey' });
  });

  it('says what form a malformed date must have', async () => {
    const deps = commandDeps();
    for (const text of ['digest preview 2026-8-28', 'digest preview yesterday', 'digest preview 28/08/2026']) {
      const parsed = parseCommandText(text);
      if ('error' in parsed) throw new Error(`${text}: ${parsed.error}`);
      const reply = await run(deps, parsed.name, parsed.rawOptions, admin);
      expect(reply.kind, text).toBe('error');
      expect(reply.text).toMatch(/^`date` must be a feed day as YYYY-MM-DD, like 2026-09-01 \(you gave `/);
    }
  });

  it('says a date in the future has no papers yet instead of "nothing would be posted"', async () => {
    const deps = commandDeps();
    const reply = await run(deps, 'digest preview', { date: '2026-09-02' }, admin);
    expect(reply.kind).toBe('error');
    expect(reply.text).toBe('2026-09-02 is in the future: its papers are not listed yet. Preview a past feed day, like 2026-08-31 (yesterday, UTC).');
    // Today's feed day is still running: previewed, with a note that the list is not final.
    await seed(deps, '2026-09-01', [aPaper({ title: 'Early bird' })]);
    const today = await run(deps, 'digest preview', { date: '2026-09-01' }, admin);
    expect(today.text).toMatch(/Today's feed day \(2026-09-01\) is not over yet/);
    expect(today.papers.map((p) => p.title)).toEqual(['Early bird']);
  });

  it('shows the note an empty day would post when post_when_empty is on', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-28', [aPaper({ title: 'Friday', upvotes: 2 })]);
    fetched(deps, '2026-08-29', 'empty');
    await run(deps, 'digest set', { post_when_empty: true }, admin);
    const empty = await run(deps, 'digest preview', { date: '2026-08-29' }, admin);
    expect(empty.text).toContain('The digest would post this note: "No papers on Sat 29 Aug 2026: the feed was empty."');
    expect(empty.text).not.toMatch(/nothing would be posted/i);

    await run(deps, 'digest set', { min_upvotes: 5 }, admin);
    const filtered = await run(deps, 'digest preview', { date: '2026-08-28' }, admin);
    expect(filtered.text).toContain('The digest would post this note: "None of the 1 paper of Fri 28 Aug 2026 passed this channel\'s filters."');

    await run(deps, 'digest set', { post_when_empty: false }, admin);
    const quiet = await run(deps, 'digest preview', { date: '2026-08-29' }, admin);
    expect(quiet.text).toContain('No papers on Sat 29 Aug 2026: nothing would be posted (post_when_empty=yes posts a short note instead).');
    const quietFiltered = await run(deps, 'digest preview', { date: '2026-08-28' }, admin);
    expect(quietFiltered.text).toContain("None of the 1 paper of Fri 28 Aug 2026 passes this channel's filters: nothing would be posted");
  });

  it('says a day that was never fetched, or today without papers yet, has nothing stored rather than "the feed was empty"', async () => {
    const deps = commandDeps();
    await run(deps, 'digest set', { post_when_empty: true }, admin);
    const never = await run(deps, 'digest preview', { date: '2025-01-01' }, admin);
    expect(never.title).toBe('Digest preview — Wed 1 Jan 2025');
    expect(never.text).toBe('No papers are stored for 2025-01-01: that day was never fetched from Hugging Face (the operator can run `paperboy ingest --date 2025-01-01`).');
    const today = await run(deps, 'digest preview', { date: '2026-09-01' }, admin);
    expect(today.text).toBe("Today's feed day (2026-09-01) has no papers yet: it is not over, and its digest posts tomorrow.");
    fetched(deps, '2025-01-01', 'empty');
    expect((await run(deps, 'digest preview', { date: '2025-01-01' }, admin)).text).toBe('The digest would post this note: "No papers on Wed 1 Jan 2025: the feed was empty."');
  });

  it('documents the bare date in its usage line', () => {
    expect(digestPreview.rest).toBe('date');
  });
});
