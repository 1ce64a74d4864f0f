import { message, type Message } from '../messages/message.ts';
import { toPaperCard } from '../messages/paper-card.ts';
import type { PaperRow } from '../store/store.ts';
import { formatFeedDays } from '../digest/format-day.ts';

/** One newly matched paper for one user, with the watch that matched it and the matched terms. */
export type AlertMatch = { paper: PaperRow; watch: string; terms: string[] };

/**
 * Cards one alert DM shows: what Discord fits in one message (one embed per paper up to nine, then
 * compact lines) and Slack in a few. The matcher builds matches (and spells matched words) for
 * these only; every newly matched paper is still counted and recorded as alerted.
 */
export const ALERT_SHOWN_PAPERS = 25;

/**
 * The DM for one user and one ingest run: the newly matched papers (one card each, even when
 * several watches matched it: the first match wins), each saying which watch matched and how.
 * `total`: how many new papers matched in all, when only the first of them are in `matches`;
 * `watchesMatched`: how many of the user's watches matched them, when known.
 */
export function buildAlert(matches: AlertMatch[], total?: number, watchesMatched?: number): Message {
  const byPaper = new Map<number, AlertMatch>();
  for (const match of matches) if (!byPaper.has(match.paper.id)) byPaper.set(match.paper.id, match);
  const unique = [...byPaper.values()];
  const count = Math.max(total ?? 0, unique.length);
  const watches = [...new Set(unique.map((match) => match.watch))];
  const days = [...new Set(unique.map((match) => match.paper.latestFeedDate))].sort();
  // One watch is named only when it matched every paper counted: papers not shown may be another's,
  // unless the matcher says only one of the user's watches matched.
  const single = watches.length === 1 && (count === unique.length || watchesMatched === 1);
  const oneWatch = single ? `your watch “${watches[0] ?? ''}”` : 'your watches';
  const title = count === 1 ? `New paper for ${oneWatch}` : `${count} new papers for ${oneWatch}`;
  const rest = count > unique.length ? ` The first ${unique.length} are below; /papers search finds the other ${count - unique.length}.` : '';
  return message({
    kind: 'alert',
    visibility: 'private',
    title,
    text: `From ${sourcesOf(unique)} of ${formatFeedDays(days)}.${rest}`,
    papers: unique.map((match) => ({ ...toPaperCard(match.paper), match: { watch: match.watch, terms: match.terms } })),
    footer: 'You get one message per feed update and never the same paper twice. Manage watches with /papers watches and /papers unwatch.',
  });
}

/** Where the papers were listed: a paper Daily Papers never listed came from an arXiv announcement. */
function sourcesOf(matches: AlertMatch[]): string {
  const fromHf = matches.some((match) => match.paper.listedOnHf);
  const fromArxiv = matches.some((match) => !match.paper.listedOnHf);
  if (fromHf && fromArxiv) return 'the Hugging Face daily papers and the arXiv announcements';
  return fromArxiv ? 'the arXiv announcement' : 'the Hugging Face daily papers';
}
