import { describe, expect, it } from 'vitest';
import { general, run } from '../commands/harness.ts';
import { createScheduler } from '../../src/scheduler.ts';
import { ingestRuns } from '../../src/store/sqlite/schema.ts';
import { aPaper } from '../support/builders.ts';
import { createRecordingSender } from '../support/recording-sender.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

// The `Next post` that digest set/show and status announce is when the real tick posts.

const admin = { isAdmin: true };
const MINUTE = 60_000;

async function ingested(deps: TestDeps, feedDate: string, count: number): Promise<void> {
  const after = Date.parse(`${feedDate}T00:00:00Z`) + 86_400_000 + 30 * MINUTE;
  const list = Array.from({ length: count }, (_, i) => aPaper({ title: `${feedDate} paper ${i + 1}`, upvotes: 100 - i }));
  await deps.store.upsertPapers(feedDate, list, after);
  deps.db.insert(ingestRuns).values({ feedDate, status: count > 0 ? 'ok' : 'empty', fetched: count, startedAt: after, finishedAt: after + 1_000 }).run();
}

function field(reply: { fields: Array<{ name: string; value: string }> }, name: string): string | undefined {
  return reply.fields.find((f) => f.name === name)?.value;
}

/** Ticks every minute from `fromIso` for `minutes`; returns the ISO minute of each tick that queued a post. */
async function tickEveryMinute(deps: TestDeps, fromIso: string, minutes: number): Promise<string[]> {
  const s = createScheduler(deps, { senders: [createRecordingSender('discord')], platforms: ['discord'] });
  const posted: string[] = [];
  for (let i = 0; i < minutes; i += 1) {
    const at = new Date(Date.parse(fromIso) + i * MINUTE);
    deps.clock.set(at.toISOString());
    if ((await s.tickDigests()) === 0) continue;
    posted.push(at.toISOString().slice(0, 16));
    await s.worker.runOnce();
  }
  return posted;
}

describe('Next post is when the scheduler posts', () => {
  it('after a day was posted, moving the time to later today announces tomorrow (today would cover the posted day again)', async () => {
    const deps = testDeps({ env: { COMMAND_RATE_LIMIT: '1000' }, now: '2026-11-30T10:00:00Z' });
    await run(deps, 'digest set', { time: '09:00', timezone: 'UTC' }, admin);
    await ingested(deps, '2026-11-30', 3);
    await ingested(deps, '2026-12-01', 3);
    expect(await tickEveryMinute(deps, '2026-12-01T08:58:00Z', 5)).toEqual(['2026-12-01T09:00']);

    deps.clock.set('2026-12-01T16:01:00Z');
    const reply = await run(deps, 'digest set', { time: '16:03' }, admin);
    expect(field(reply, 'Last day posted')).toBe('2026-11-30');
    expect(field(reply, 'Next post')).toBe('2026-12-02 16:03 UTC (in 24 h 2 min), for feed day 2026-12-01');
    expect(field(await run(deps, 'digest show', {}, admin), 'Next post')).toBe('2026-12-02 16:03 UTC (in 24 h 2 min), for feed day 2026-12-01');
    expect(field(await run(deps, 'status', {}, { channel: general }), 'Next digest here')).toBe('2026-12-02 16:03 UTC (in 24 h 2 min), for feed day 2026-12-01');

    // The real tick, every minute for 26 hours: one post, at the announced minute.
    expect(await tickEveryMinute(deps, '2026-12-01T16:01:00Z', 26 * 60)).toEqual(['2026-12-02T16:03']);
  });

  it('moving the time to one already passed today, before today’s post, announces a post at the next tick', async () => {
    const deps = testDeps({ env: { COMMAND_RATE_LIMIT: '1000' }, now: '2026-11-30T10:00:00Z' });
    await run(deps, 'digest set', { time: '09:00', timezone: 'UTC' }, admin);
    await ingested(deps, '2026-11-30', 2);
    deps.clock.set('2026-12-01T08:00:00Z');
    const reply = await run(deps, 'digest set', { time: '07:00' }, admin);
    expect(field(reply, 'Next post')).toBe('at the next minute, for feed day 2026-11-30');
    expect(await tickEveryMinute(deps, '2026-12-01T08:01:00Z', 3)).toEqual(['2026-12-01T08:01']);
  });

  it('a due day not ingested yet says it waits for the ingest', async () => {
    const deps = testDeps({ env: { COMMAND_RATE_LIMIT: '1000' }, now: '2026-11-30T10:00:00Z' });
    await run(deps, 'digest set', { time: '09:00', timezone: 'UTC' }, admin);
    deps.clock.set('2026-12-01T09:30:00Z');
    expect(field(await run(deps, 'digest show', {}, admin), 'Next post')).toBe('as soon as feed day 2026-11-30 is ingested');
    expect(await tickEveryMinute(deps, '2026-12-01T09:30:00Z', 2)).toEqual([]);
    await ingested(deps, '2026-11-30', 2);
    expect(await tickEveryMinute(deps, '2026-12-01T09:32:00Z', 2)).toEqual(['2026-12-01T09:32']);
  });

  it('a zone moved west after a post announces the first time that covers a new day', async () => {
    const deps = testDeps({ env: { COMMAND_RATE_LIMIT: '1000' }, now: '2026-11-30T10:00:00Z' });
    await run(deps, 'digest set', { time: '09:00', timezone: 'UTC' }, admin);
    await ingested(deps, '2026-11-30', 2);
    await ingested(deps, '2026-12-01', 2);
    expect(await tickEveryMinute(deps, '2026-12-01T09:00:00Z', 1)).toEqual(['2026-12-01T09:00']);
    // 16:01 UTC is 08:01 in Los Angeles: 09:00 there today would cover 11-30 again.
    deps.clock.set('2026-12-01T16:01:00Z');
    const reply = await run(deps, 'digest set', { timezone: 'America/Los_Angeles' }, admin);
    expect(field(reply, 'Next post')).toBe('2026-12-02 09:00 PST (in 24 h 59 min), for feed day 2026-12-01');
    expect(await tickEveryMinute(deps, '2026-12-01T16:01:00Z', 26 * 60)).toEqual(['2026-12-02T17:00']);
  });
});
