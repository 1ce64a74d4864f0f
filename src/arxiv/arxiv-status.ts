import { formatUtc } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { ARXIV_CHECKED_AT, NO_ANNOUNCEMENT_WARNING } from './poll-arxiv.ts';
import { announcementDateOf, scheduleText } from './schedule.ts';


/** The `/papers status` fields about arXiv; none when the source is off. */
export async function arxivStatusFields(deps: Pick<Deps, 'config' | 'store' | 'clock'>): Promise<Array<{ name: string; value: string }>> {
  const categories = deps.config.ARXIV_CATEGORIES;
  if (categories.length === 0) return [];
  const now = deps.clock.now();
  const { lastPoll, lastStored } = await deps.store.arxivPollState();
  const fields = [
    {
      name: `arXiv (${categories.join(', ')})`,
      value: lastStored
        ? `last announcement ${lastStored.announcement}: ${lastStored.inserted} new papers, ${lastStored.updated} known updated, stored ${formatUtc(lastStored.at)}`
        : 'no announcement stored yet',
    },
  ];
  const holiday = lastPoll?.status === 'empty' && lastPoll.warning === NO_ANNOUNCEMENT_WARNING && lastPoll.announcement === announcementDateOf(now);
  fields.push({ name: 'arXiv schedule', value: holiday ? `${NO_ANNOUNCEMENT_WARNING}; ${scheduleText(now)}` : scheduleText(now) });
  // A failure a later poll got past (the feed read fine, nothing new) is no longer a problem.
  const checkedAt = Number((await deps.store.getMeta(ARXIV_CHECKED_AT)) ?? 0);
  if (lastPoll?.status === 'failed' && lastPoll.at > checkedAt) {
    fields.push({ name: 'arXiv problem', value: `last poll failed at ${formatUtc(lastPoll.at)}: ${(lastPoll.error ?? 'unknown error').slice(0, 200)} (the next poll retries)` });
  } else if (lastPoll?.status === 'ok' && lastPoll.warning) {
    fields.push({ name: 'arXiv problem', value: `${lastPoll.announcement}: ${lastPoll.warning.slice(0, 200)}` });
  }
  return fields;
}
