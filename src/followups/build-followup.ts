import { clipWords } from '../messages/wrap-text.ts';
import { message, type Message } from '../messages/message.ts';
import { formatFeedDays } from '../digest/format-day.ts';
import type { FollowupItem } from '../store/store.ts';

/** What a follow-up says about one paper: one line per item, in the order found. */
export type FollowupEntry = {
  paperId: number;
  arxivId: string;
  title: string;
  lines: Array<{ item: string; text: string }>;
};

/** Papers in one follow-up at most; the rest wait for the next one (Discord allows 25 embed fields, Slack 50 blocks). */
export const MAX_FOLLOWUP_PAPERS = 10;
/** Discord caps a field at 256 + 1024 characters; Slack a field at 2000 and a message's block text at 12000, escaped: 10 papers fit either way. */
const MAX_TITLE = 150;
const MAX_LINES_TEXT = 600;

/** The thread's name on Discord (at most 100 characters): the post's day(s). */
export function threadName(feedDates: string[]): string {
  return `Papers of ${formatFeedDays(feedDates)} · follow-ups`.slice(0, 100);
}

/**
 * The follow-up for the items not told yet: one field per paper, its title as the name, what
 * changed and its link as the value. Plain text; adapters escape it and mention nobody.
 */
export function buildFollowup(feedDates: string[], entries: FollowupEntry[], fresh: FollowupItem[]): Message {
  const fields = newsFields(entries, new Set(fresh.map((item) => `${item.paperId}:${item.item}`)));
  return message({
    kind: 'text',
    visibility: 'public',
    title: `Since this post — ${formatFeedDays(feedDates)}`,
    text: fields.length === 1 ? 'One update on the papers of this post.' : `${fields.length} updates on the papers of this post.`,
    fields,
  });
}

/**
 * One field per paper with lines in `wanted` (`<paper id>:<item>`): its title as the name, the
 * lines and its link as the value (the follow-ups and the watches' artifact DMs).
 */
export function newsFields(entries: FollowupEntry[], wanted: Set<string>): Message['fields'] {
  return entries.flatMap((entry) => {
    const lines = entry.lines.filter((line) => line.text !== '' && wanted.has(`${entry.paperId}:${line.item}`)).map((line) => line.text);
    if (lines.length === 0) return [];
    // The link goes last and whole: only the lines are clipped.
    const text = lines.join('\n');
    const clipped = text.length > MAX_LINES_TEXT ? `${text.slice(0, MAX_LINES_TEXT - 1)}…` : text;
    return [{ name: clipWords(entry.title, MAX_TITLE), value: `${clipped}\nhttps://huggingface.co/papers/${entry.arxivId}` }];
  });
}
