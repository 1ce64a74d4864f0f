import { message, type Message } from '../messages/message.ts';
import { toPaperCard } from '../messages/paper-card.ts';
import type { PaperRow } from '../store/store.ts';
import { formatFeedDays } from '../digest/format-day.ts';

/** One newly matched paper for one user, with the watch that matched it and the matched terms. */
export type AlertMatch = { paper: PaperRow; watch: string; terms: string[] };

/**
 * The DM for one user and one ingest run: every newly matched paper (one card each, even when
 * several watches matched it: the first match wins), each saying which watch matched and how.
 */
export function buildAlert(matches: AlertMatch[]): Message {
  const byPaper = new Map<number, AlertMatch>();
  for (const match of matches) if (!byPaper.has(match.paper.id)) byPaper.set(match.paper.id, match);
  const unique = [...byPaper.values()];
  const watches = [...new Set(unique.map((match) => match.watch))];
  const days = [...new Set(unique.map((match) => match.paper.latestFeedDate))].sort();
  const title =
    unique.length === 1 ? `New paper for your watch “${watches[0] ?? ''}”` : `${unique.length} new papers for your watches`;
  return message({
    kind: 'alert',
    visibility: 'private',
    title,
    text: `From ${sourcesOf(unique)} of ${formatFeedDays(days)}.`,
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
