import { message, type Message } from '../messages/message.ts';
import { toPaperCard } from '../messages/paper-card.ts';
import { describeFilters, plural, type DigestSettings } from './build-digest.ts';
import { dailyPageUrl, formatFeedDay, formatFeedDays } from './format-day.ts';
import type { CombinedSelection } from './select-announcement.ts';
import type { DigestSelection } from './select-digest.ts';

// The channel posts of arXiv digests (`source=arxiv`) and of both sources together (`source=all`);
// buildDigest (build-digest.ts) writes the Daily Papers one.

/** arXiv digests rank by the query, and min_upvotes does not apply to them: the footer says the query only. */
function arxivFilters(config: DigestSettings): string {
  return describeFilters({ ...config, minUpvotes: 0 });
}

const cutOf = (selection: DigestSelection) => selection.excluded.filter((entry) => entry.reason === 'past_top_n');

/**
 * The post for one announcement: its top N, "…and N more" linking to `listUrl` (arXiv's page of
 * the category's new papers), or the short note when nothing passed the filters.
 */
export function buildArxivDigest(config: DigestSettings, selection: DigestSelection, options: { announcement: string; listUrl: string }): Message {
  const day = formatFeedDay(options.announcement);
  const cut = cutOf(selection).length;
  const filters = arxivFilters(config);
  const text =
    selection.included.length === 0
      ? selection.dayTotal === 0
        ? `The arXiv announcement of ${day} had no new papers in this server's categories.`
        : `None of the ${plural(selection.dayTotal, 'new paper')} of the arXiv announcement of ${day} passed this channel's filters.`
      : `Top ${selection.included.length} of ${plural(selection.dayTotal, 'new and cross-listed paper')}${config.query === '' ? '' : ', most relevant to the query first'}.`;
  return message({
    kind: 'digest',
    visibility: 'public',
    title: `New on arXiv — ${day}`,
    titleUrl: options.listUrl,
    text,
    papers: selection.included.map((paper) => toPaperCard(paper)),
    ...(cut > 0 ? { more: { count: cut, url: options.listUrl } } : {}),
    ...(filters ? { footer: `Filters: ${filters}` } : {}),
  });
}

/** The note of an arXiv digest's scheduled time with no announcement it has not posted (post_when_empty). */
export function buildNoAnnouncementNote(lastAnnouncement: string | null): Message {
  const since = lastAnnouncement === null ? '' : ` since ${formatFeedDay(lastAnnouncement)}`;
  return message({
    kind: 'digest',
    visibility: 'public',
    title: 'New on arXiv',
    text: `No new arXiv announcement${since}: arXiv does not announce on Friday and Saturday evenings (US Eastern) nor on its holidays.`,
    papers: [],
  });
}

/**
 * The `source=all` post: the feed day's papers first, then the announcement's new ones. "…and N
 * more" links to the feed day's page when Daily Papers were cut, else to arXiv's list.
 */
export function buildCombinedDigest(
  config: DigestSettings,
  combined: CombinedSelection,
  options: { feedDates: string[]; offline: boolean; announcement: string | null; listUrl: string },
): Message {
  const { selection, fromArxiv } = combined;
  const days = formatFeedDays(options.feedDates);
  const lastDay = options.feedDates[options.feedDates.length - 1] ?? '';
  const arxivPart = options.announcement === null ? '' : ` + arXiv ${formatFeedDay(options.announcement)}`;
  const cut = cutOf(selection);
  const cutDaily = cut.filter((entry) => !fromArxiv.has(entry.paper.id)).length;
  const cutArxiv = cut.length - cutDaily;
  const fromArxivShown = selection.included.filter((paper) => fromArxiv.has(paper.id)).length;
  const filters = describeFilters(config);
  let text: string;
  if (selection.included.length === 0) {
    text = selection.dayTotal === 0 ? `No papers on ${days}${arxivPart ? ' and no new arXiv papers' : ''}.` : `None of the ${plural(selection.dayTotal, 'paper')} of ${days}${arxivPart} passed this channel's filters.`;
  } else {
    const split = `${selection.included.length - fromArxivShown} from Daily Papers, ${fromArxivShown} new on arXiv`;
    const offline = options.offline ? `While I was offline I missed ${plural(options.feedDates.length, 'day')}: ` : '';
    text = `${offline}Top ${selection.included.length} of ${plural(selection.dayTotal, 'paper')} (${split}).`;
    if (cutDaily > 0 && cutArxiv > 0) text += `\n${cutArxiv} more new on arXiv: ${options.listUrl}`;
  }
  const moreUrl = cutDaily > 0 ? dailyPageUrl(lastDay) : options.listUrl;
  return message({
    kind: 'digest',
    visibility: 'public',
    title: `Daily papers — ${days}${arxivPart}`,
    titleUrl: dailyPageUrl(lastDay),
    text,
    papers: selection.included.map((paper) => toPaperCard(paper)),
    ...(cut.length > 0 ? { more: { count: cutDaily > 0 ? cutDaily : cutArxiv, url: moreUrl } } : {}),
    ...(filters ? { footer: `Filters: ${filters}` } : {}),
  });
}
