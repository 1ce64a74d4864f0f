import { z } from 'zod';
import { arxivStatusFields } from '../src/arxiv/arxiv-status.ts';
import { addDays, formatUtc } from '../src/clock.ts';
import type { Deps } from '../src/deps.ts';
import { message } from '../src/messages/message.ts';
import { liveReplicas } from '../src/replicas/heartbeat.ts';
import { archiveRange, MAX_ATTEMPTS } from '../src/backfill/archive-backfill.ts';
import { foregroundReserve } from '../src/feed/hf-budget.ts';
import type { BackfillSummary } from '../src/store/store.ts';
import type { CommandChannel } from './define-command.ts';
import { defineCommand } from './define-command.ts';
import { nextPostText } from './digest-fields.ts';
import { formatDuration } from './format-local.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export const status = defineCommand({
  name: 'status',
  description: 'Health: last ingest, next digest, deliveries, watches, rate limits',
  options: z.object({}),
  examples: ['status'],
  async run({ deps, channel }) {
    const [ingest, arxiv, nextDigest, outbox, rateLimits] = await Promise.all([
      ingestFields(deps),
      arxivStatusFields(deps),
      nextDigestField(deps, channel),
      outboxFields(deps),
      rateLimitField(deps),
    ]);
    const replicas = await replicasField(deps);
    return message({
      kind: 'status',
      visibility: 'public',
      title: 'paperboy status',
      text: '',
      fields: [...ingest, ...arxiv, nextDigest, ...outbox, rateLimits, replicas],
    });
  },
});

async function ingestFields(deps: Deps) {
  const now = deps.clock.now();
  // The regular ingest (cron, start-up, plain `paperboy ingest`): a backfill says nothing about it.
  const ok = await deps.store.lastRegularIngest();
  const failed = await deps.store.lastFailedIngest();
  const fields = [
    {
      name: 'Last successful ingest',
      value: ok ? `feed day ${ok.feedDate}, finished ${formatUtc(ok.finishedAt)} (${formatDuration(ok.finishedAt - now)})` : 'never',
    },
  ];
  // An older failure that a later success already made up for is not news.
  if (failed && (!ok || failed.at > ok.finishedAt)) {
    fields.push({ name: 'Last failed ingest', value: `feed day ${failed.feedDate} at ${formatUtc(failed.at)}: ${failed.error.slice(0, 200)}` });
  }
  const archive = await archiveText(deps);
  if (archive) fields.push({ name: 'Archive', value: archive });
  const backfill = await deps.store.backfillSummary();
  if (backfill) fields.push({ name: 'Backfill', value: backfillText(backfill, now) });
  // Today is still being listed (the feed fills during the day): an empty answer so far is no news.
  const today = deps.clock.today();
  const empty = (await deps.store.recentEmptyFeedDays(addDays(today, -7))).filter((day) => day !== today);
  fields.push({ name: 'Empty feed days (last 7)', value: empty.length > 0 ? empty.join(', ') : 'none' });
  fields.push({ name: 'Papers stored', value: String(await deps.store.countRows('papers')) });
  return fields;
}

function backfillText(backfill: BackfillSummary, now: number): string {
  const plural = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
  const { first, last } = backfill;
  let stored = plural(backfill.days);
  if (first && last) {
    const span = Math.round((Date.parse(last) - Date.parse(first)) / DAY_MS) + 1;
    stored += first === last ? ` (${first})` : span === backfill.days ? ` (${first} to ${last})` : ` between ${first} and ${last}`;
  }
  let text = `${stored}, last run finished ${formatUtc(backfill.lastFinishedAt)} (${formatDuration(backfill.lastFinishedAt - now)})`;
  const failed = backfill.failedDays;
  if (failed.length > 0) {
    const retry = failed.length === 1 ? `run \`paperboy ingest --date ${failed[0]}\` again` : 'run the backfill again';
    text += `; ${plural(failed.length)} failed: ${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ', …' : ''} (${retry})`;
  }
  return text;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * "812 of 1,305 days (62 %), about 6 min left", then "complete (41,230 papers listed 2023-05-04 to 2026-11-29)",
 * with failed days; null when BACKFILL_FROM is off.
 */
async function archiveText(deps: Deps): Promise<string | null> {
  const range = archiveRange(deps);
  if (!range) return null;
  const { from, to } = range;
  const total = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1);
  const days = await deps.store.archiveDays(from, to);
  const givenUp = days.failed.filter((day) => day.attempts >= MAX_ATTEMPTS).map((day) => day.feedDate);
  const left = total - days.done.length - givenUp.length;
  const failed =
    givenUp.length === 0
      ? ''
      : `; ${givenUp.length} ${givenUp.length === 1 ? 'day' : 'days'} failed: ${givenUp.slice(0, 5).join(', ')}${givenUp.length > 5 ? ', …' : ''} (\`paperboy backfill\` retries them)`;
  if (left <= 0) return `complete (${count(await deps.store.countPapersListed(from, to))} papers listed ${from} to ${to})${failed}`;
  const percent = Math.floor((days.done.length / total) * 100);
  return `${count(days.done.length)} of ${count(total)} days (${percent} %), ${timeLeft(deps, left)}${failed}`;
}

/** A day is at least one request, at the backfill's share of HF_MAX_REQUESTS_PER_MINUTE. */
function timeLeft(deps: Deps, days: number): string {
  const perMinute = deps.config.HF_MAX_REQUESTS_PER_MINUTE;
  const minutes = Math.ceil(days / Math.max(1, perMinute - foregroundReserve(perMinute)));
  if (minutes <= 1) return 'about a minute left';
  if (minutes < 120) return `about ${minutes} min left`;
  return `about ${Math.round(minutes / 60)} h left`;
}

async function nextDigestField(deps: Deps, channel: CommandChannel) {
  const digest = await deps.store.getDigest(channel.platform, channel.id);
  return { name: 'Next digest here', value: digest ? await nextPostText(deps, digest, deps.clock.now()) : 'no digest in this channel' };
}

async function outboxFields(deps: Deps) {
  const counts = await deps.store.deliveryCounts();
  return [
    { name: 'Deliveries', value: `${counts.pending + counts.sending} queued, ${counts.failed} failed` },
    { name: 'Active watches', value: String(await deps.store.countRows('watches')) },
  ];
}

/** The waits servers asked for (Retry-After), whether or not they were waited: one too long fails the run instead. */
async function rateLimitField(deps: Deps) {
  const waits = await deps.store.recentRateLimitWaits(deps.clock.now() - DAY_MS, 1000);
  if (waits.length === 0) return { name: 'Rate-limit waits (24 h)', value: 'none' };
  const bySource = new Map<string, number>();
  for (const wait of waits) bySource.set(wait.source, (bySource.get(wait.source) ?? 0) + 1);
  const totalMs = waits.reduce((sum, wait) => sum + wait.waitMs, 0);
  const sources = [...bySource].map(([source, n]) => `${source} ${n}`).join(', ');
  return { name: 'Rate-limit waits (24 h)', value: `${waits.length} (${sources}), ${Math.round(totalMs / 1000)} s asked for in total` };
}

/** Running `paperboy start` processes (heartbeat rows) and the one that leads (src/replicas/). */
async function replicasField(deps: Deps) {
  const { alive, leader } = await liveReplicas(deps.store, deps.clock.now());
  const count = alive.length === 0 ? 'none running' : `${alive.length} alive`;
  const lead = leader ? `leader ${leader.host} (pid ${leader.pid})` : alive.length > 0 ? 'no leader right now (a follower takes over within 15 s)' : '';
  return { name: 'Replicas', value: lead ? `${count}; ${lead}` : count };
}

