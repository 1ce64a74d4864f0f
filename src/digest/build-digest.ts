import { message, type Message } from '../messages/message.ts';
import { toPaperCard } from '../messages/paper-card.ts';
import type { DigestRow } from '../store/store.ts';
import { dailyPageUrl, formatFeedDay, formatFeedDays } from './format-day.ts';
import { exclusionReasons, type DigestSelection, type ExclusionReason } from './select-digest.ts';


export type DigestSettings = Pick<DigestRow, 'top' | 'minUpvotes' | 'query'>;
type PreviewSettings = DigestSettings & Pick<DigestRow, 'postWhenEmpty'>;

/** "min 5 upvotes · query: llm -survey", or '' when the digest takes every paper. */
export function describeFilters(config: DigestSettings): string {
  const filters: string[] = [];
  if (config.minUpvotes > 0) filters.push(`min ${config.minUpvotes} upvote${config.minUpvotes === 1 ? '' : 's'}`);
  if (config.query !== '') filters.push(`query: ${config.query}`);
  return filters.join(' · ');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The channel post for one feed day, or for several collapsed after downtime (`offline`).
 * Papers cut by `top` are summed up in a `more` link to the day's HF page. An empty selection
 * gives the short "no papers" note (posted only when the channel asked for it).
 */
export function buildDigest(config: DigestSettings, selection: DigestSelection, options: { feedDates: string[]; offline: boolean }): Message {
  const days = formatFeedDays(options.feedDates);
  const lastDay = options.feedDates[options.feedDates.length - 1] ?? '';
  const cut = selection.excluded.filter((entry) => entry.reason === 'past_top_n').length;
  const filters = describeFilters(config);
  let text: string;
  if (selection.included.length === 0) {
    text =
      selection.dayTotal === 0
        ? `No papers on ${days}: the feed was empty.`
        : `None of the ${plural(selection.dayTotal, 'paper')} of ${days} passed this channel's filters.`;
  } else if (options.offline) {
    text = `While I was offline I missed ${plural(options.feedDates.length, 'day')}: here are the top ${selection.included.length} of ${plural(selection.dayTotal, 'paper')} from ${days}, together.`;
  } else {
    text = `Top ${selection.included.length} of ${plural(selection.dayTotal, 'paper')}.`;
  }
  return message({
    kind: 'digest',
    visibility: 'public',
    title: `Daily papers — ${days}`,
    titleUrl: dailyPageUrl(lastDay),
    text,
    papers: selection.included.map((paper) => toPaperCard(paper)),
    ...(cut > 0 ? { more: { count: cut, url: dailyPageUrl(lastDay) } } : {}),
    ...(filters ? { footer: `Filters: ${filters}` } : {}),
  });
}

const reasonNames: Record<ExclusionReason, (config: DigestSettings) => string> = {
  below_min_upvotes: (config) => `Below ${plural(config.minUpvotes, 'upvote')}`,
  not_matching_query: () => 'Not matching the query',
  excluded_by_query: () => 'Excluded by the query',
  past_top_n: (config) => `Past the top ${config.top}`,
};

/** Discord field values hold 1024 characters: list titles until that, then count the rest. */
function listTitles(titles: string[], maxChars = 900): string {
  const lines: string[] = [];
  let used = 0;
  for (const title of titles) {
    if (used + title.length + 1 > maxChars) break;
    lines.push(title);
    used += title.length + 1;
  }
  const rest = titles.length - lines.length;
  return rest > 0 ? `${lines.join('\n')}\n…and ${rest} more` : lines.join('\n');
}

/** What the preview says the digest would do with this selection (`covers`: what it covers, the feed day(s) by default). */
function previewText(config: PreviewSettings, selection: DigestSelection, feedDates: string[], covers?: string): string {
  const days = covers ?? formatFeedDays(feedDates);
  if (selection.included.length > 0) return `The digest would post ${selection.included.length} of the ${plural(selection.dayTotal, 'paper')} of ${days}.`;
  // An empty selection posts the digest's own short note, or nothing (post_when_empty).
  if (config.postWhenEmpty) return `The digest would post this note: "${buildDigest(config, selection, { feedDates, offline: false }).text}"`;
  const why = selection.dayTotal === 0 ? `No papers on ${days}` : `None of the ${plural(selection.dayTotal, 'paper')} of ${days} passes this channel's filters`;
  return `${why}: nothing would be posted (post_when_empty=yes posts a short note instead).`;
}

/**
 * `digest preview`: what the post would hold, plus every paper left out and why (private to the
 * admin). An arXiv digest's preview names what it covers (`covers`, `titleUrl`: the announcement).
 */
export function buildDigestPreview(config: PreviewSettings, selection: DigestSelection, options: { feedDates: string[]; covers?: string; titleUrl?: string }): Message {
  const days = options.covers ?? formatFeedDays(options.feedDates);
  const filters = describeFilters(config);
  const fields = exclusionReasons.flatMap((reason) => {
    const papers = selection.excluded.filter((entry) => entry.reason === reason).map((entry) => entry.paper);
    if (papers.length === 0) return [];
    return [{ name: `${reasonNames[reason](config)} (${papers.length})`, value: listTitles(papers.map((p) => `• ${p.title} (▲ ${p.upvotes})`)) }];
  });
  return message({
    kind: 'digest',
    visibility: 'private',
    title: `Digest preview — ${options.covers ?? (options.feedDates.length === 1 ? formatFeedDay(options.feedDates[0] ?? '') : days)}`,
    titleUrl: options.titleUrl ?? dailyPageUrl(options.feedDates[options.feedDates.length - 1] ?? ''),
    text: previewText(config, selection, options.feedDates, options.covers),
    papers: selection.included.map((paper) => toPaperCard(paper)),
    fields,
    footer: filters ? `Filters: top ${config.top} · ${filters}` : `Filters: top ${config.top}, no other filter`,
  });
}
