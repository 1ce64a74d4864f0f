import type { Deps } from '../deps.ts';
import { buildDigest } from './build-digest.ts';
import type { DueDigest } from './due-digests.ts';
import { selectDigest } from './select-digest.ts';

export type EnqueueOutcome = 'queued' | 'skipped_empty' | 'already_done';

/** `digest:<platform>:<channel>:<day>`, or `<first>..<last>` for a collapsed "offline" post. */
function digestKey(platform: string, channelId: string, feedDates: string[]): string {
  const first = feedDates[0] ?? '';
  const last = feedDates[feedDates.length - 1] ?? '';
  return `digest:${platform}:${channelId}:${first === last ? first : `${first}..${last}`}`;
}

/** The last feed day a `digestKey` covers, or undefined for a key of another shape. */
export function lastFeedDayOfKey(key: string): string | undefined {
  return /^digest:.*(?::|\.\.)(\d{4}-\d{2}-\d{2})$/.exec(key)?.[1];
}

/**
 * Records one due digest: the outbox row and the watermark move in ONE unit
 * (store.enqueueDigest), and the watermark only moves forward, so a repeated tick (or a restart)
 * can never post the day twice. An empty selection is recorded as a 'skipped' row (shown by
 * `status`), or queued as a short "no papers" note when the channel has post_when_empty.
 */
export async function enqueueDigest(deps: Pick<Deps, 'store' | 'log'>, due: DueDigest, at: Date): Promise<EnqueueOutcome> {
  const { digest, feedDates, offline } = due;
  const lastDay = feedDates[feedDates.length - 1];
  if (lastDay === undefined) return 'already_done';
  // Reads first, outside the unit: another tick can only race us to the watermark, and the
  // store's conditional watermark update detects that (nothing is queued then).
  const selection = await selectDigest(deps.store, digest, feedDates, at.getTime());
  const empty = selection.included.length === 0;
  const message = buildDigest(digest, selection, { feedDates, offline });
  const skipped = empty && !digest.postWhenEmpty;
  const queued = await deps.store.enqueueDigest(
    {
      platform: digest.platform,
      targetKind: 'channel',
      targetId: digest.channelId,
      kind: 'digest',
      idempotencyKey: digestKey(digest.platform, digest.channelId, feedDates),
      message,
      now: at.getTime(),
      state: skipped ? 'skipped' : 'pending',
    },
    lastDay,
  );
  const outcome: EnqueueOutcome = !queued ? 'already_done' : skipped ? 'skipped_empty' : 'queued';
  const log = deps.log.child({ module: 'digest' });
  const context = { platform: digest.platform, channelId: digest.channelId, feedDates, offline, papers: selection.included.length };
  if (outcome === 'skipped_empty') log.info(context, 'digest had no papers to post; recorded as skipped');
  if (outcome === 'queued') log.info(context, 'digest queued');
  if (due.dropped.length > 0) log.warn({ ...context, dropped: due.dropped }, 'offline too long: older missed days are not posted');
  return outcome;
}
