import { z } from 'zod';
import { arxivStatusFields } from '../src/arxiv/arxiv-status.ts';
import { addDays } from '../src/clock.ts';
import type { Deps } from '../src/deps.ts';
import { message } from '../src/messages/message.ts';
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
    return message({
      kind: 'status',
      visibility: 'public',
      title: 'paperboy status',
      text: '',
      fields: [...ingest, ...arxiv, nextDigest, ...outbox, rateLimits],
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
      value: ok ? `feed day ${ok.feedDate}, finished ${formatUtc(ok.finishedAt)} (${formatDuration(ok.finishedAt - now.getTime())})` : 'never',
    },
  ];
  // An older failure that a later success already made up for is not news.
  if (failed && (!ok || failed.at > ok.finishedAt)) {
    fields.push({ name: 'Last failed ingest', value: `feed day ${failed.feedDate} at ${formatUtc(failed.at)}: ${failed.error.slice(0, 200)}` });
  }
  const backfill = await deps.store.backfillSummary();
  if (backfill) fields.push({ name: 'Backfill', value: backfillText(backfill, now.getTime()) });
  const empty = await deps.store.recentEmptyFeedDays(addDays(deps.clock.today(), -7));
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

async function rateLimitField(deps: Deps) {
  const waits = await deps.store.recentRateLimitWaits(deps.clock.now().getTime() - DAY_MS, 1000);
  if (waits.length === 0) return { name: 'Rate-limit waits (24 h)', value: 'none' };
  const bySource = new Map<string, number>();
  for (const wait of waits) bySource.set(wait.source, (bySource.get(wait.source) ?? 0) + 1);
  const totalMs = waits.reduce((sum, wait) => sum + wait.waitMs, 0);
  const sources = [...bySource].map(([source, n]) => `${source} ${n}`).join(', ');
  return { name: 'Rate-limit waits (24 h)', value: `${waits.length} (${sources}), ${Math.round(totalMs / 1000)} s in total` };
}

function formatUtc(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
