import { z } from 'zod';
import { TransientError } from '../errors.ts';
import { parseArxivId } from '../papers/arxiv-id.ts';
import { announceTypes, type ArxivItem } from '../papers/arxiv-paper.ts';
import { readXml, snippet, textOf } from './parse-xml.ts';
import { announcementDateOf } from './schedule.ts';

// arXiv's RSS listing (https://info.arxiv.org/help/rss_specifications.html): one <channel> for all
// the categories asked, its <pubDate> the announcement (midnight America/New_York), one <item> per
// new, cross-listed or replaced paper. An item arXiv describes badly is skipped and counted, never
// guessed at.

const Text = z.union([z.string(), z.object({ '#text': z.unknown() }).loose()]).optional();

const Item = z
  .object({
    title: Text,
    link: Text,
    description: Text,
    guid: Text,
    category: z.array(Text).optional(),
    'arxiv:announce_type': Text,
    'dc:creator': z.array(Text).optional(),
  })
  .loose();

const Rss = z.object({
  rss: z.object({
    channel: z
      .object({
        pubDate: Text,
        lastBuildDate: Text,
        // An empty channel has no <item>; one with text only is still no item.
        item: z.array(z.unknown()).optional(),
      })
      .loose(),
  }),
});

export type ArxivListing = {
  /** The feed's date in America/New_York: the announcement's name. */
  announcement: string;
  items: ArxivItem[];
  /** Items left out, with why (for the poll's warning). */
  skipped: Array<{ reason: string }>;
};

const VERSIONED = /^(.+?)v(\d{1,3})$/;

/** `oai:arXiv.org:2203.01250v3`, `https://arxiv.org/abs/2203.01250`, `arXiv:2203.01250v3` → id and version. */
function readId(candidates: string[]): { arxivId: string; version: number | null } | null {
  for (const candidate of candidates) {
    const raw = candidate.replace(/^oai:arXiv\.org:/i, '').replace(/^arXiv:/i, '').replace(/^https?:\/\/(www\.|export\.)?arxiv\.org\/abs\//i, '');
    const arxivId = parseArxivId(raw);
    if (!arxivId) continue;
    const version = VERSIONED.exec(raw);
    return { arxivId, version: version?.[2] ? Number(version[2]) : null };
  }
  return null;
}

/** The description is `arXiv:ID Announce Type: TYPE Abstract: TEXT` (text, not markup). */
function splitDescription(description: string): { abstract: string; announceType: string | null; id: string | null } {
  const abstractAt = description.indexOf('Abstract:');
  const head = abstractAt >= 0 ? description.slice(0, abstractAt) : '';
  const abstract = abstractAt >= 0 ? description.slice(abstractAt + 'Abstract:'.length).trim() : description;
  const type = /Announce Type:\s*([a-z-]+)/i.exec(head)?.[1] ?? null;
  const id = /^\s*(arXiv:\S+)/i.exec(head)?.[1] ?? null;
  return { abstract, announceType: type, id };
}

/** `Antonin Monteil, Paul Pegon` (one <dc:creator> per paper in the spec, or one per author). */
function readAuthors(creators: string[]): string[] {
  return creators
    .flatMap((line) => line.split(/,\s*|\s+and\s+/))
    .map((name) => name.trim())
    .filter(Boolean);
}

function readItem(raw: unknown): ArxivItem | { skip: string } {
  const parsed = Item.safeParse(raw);
  if (!parsed.success) return { skip: 'not an item' };
  const item = parsed.data;
  const description = splitDescription(textOf(item.description));
  const id = readId([textOf(item.guid), textOf(item.link), description.id ?? ''].filter(Boolean));
  if (!id) {
    const shown = textOf(item.guid) || textOf(item.link);
    return { skip: shown ? `bad id ${shown.slice(0, 60)}` : 'no id' };
  }
  const typeText = (textOf(item['arxiv:announce_type']) || description.announceType || '').toLowerCase();
  const announceType = announceTypes.find((type) => type === typeText);
  if (!announceType) return { skip: `${id.arxivId}: unknown announce type "${typeText.slice(0, 20)}"` };
  const title = textOf(item.title);
  if (!title) return { skip: `${id.arxivId}: no title` };
  return {
    ...id,
    announceType,
    title,
    abstract: description.abstract,
    authors: readAuthors((item['dc:creator'] ?? []).map(textOf)),
    categories: [...new Set((item.category ?? []).map(textOf).filter(Boolean))],
    publishedAt: null,
  };
}

/**
 * Reads one RSS body. Throws TransientError for anything that is not arXiv's RSS (malformed XML,
 * an HTML maintenance page served with 200, a channel without a date): the next poll retries.
 */
export function parseArxivRss(body: string): ArxivListing {
  const doc = Rss.safeParse(readXml(body, 'the arXiv RSS feed'));
  if (!doc.success) throw new TransientError(`arXiv answered something that is not its RSS feed: "${snippet(body)}"`);
  const channel = doc.data.rss.channel;
  const dateText = textOf(channel.pubDate) || textOf(channel.lastBuildDate);
  const at = Date.parse(dateText);
  if (!Number.isFinite(at)) throw new TransientError(`the arXiv RSS feed has no readable date (pubDate "${dateText.slice(0, 40)}")`);
  const items: ArxivItem[] = [];
  const skipped: ArxivListing['skipped'] = [];
  const seen = new Set<string>();
  for (const raw of channel.item ?? []) {
    const item = readItem(raw);
    if ('skip' in item) skipped.push({ reason: item.skip });
    // A paper listed twice in one feed (two of the categories asked): the first listing counts.
    else if (!seen.has(item.arxivId)) {
      seen.add(item.arxivId);
      items.push(item);
    }
  }
  return { announcement: announcementDateOf(at), items, skipped };
}
