import type { Deps } from '../deps.ts';
import { classify, TransientError } from '../errors.ts';
import { parseArxivRss, type ArxivListing } from './parse-rss.ts';
import { getFromArxiv, type ArxivGate } from './polite-client.ts';
import { categoriesKey } from '../papers/arxiv-category.ts';
import { isAnnouncementDate } from './schedule.ts';
import { snippet } from './parse-xml.ts';

// The poll job: one request for every category in ARXIV_CATEGORIES, then
// - the feed's announcement is already stored       → 'unchanged' (no row: the cron polls hourly)
// - the feed is empty                               → 'empty' (a warning on Monday–Friday dates: a holiday?)
// - it has items                                    → 'ok': stored in one unit with its poll row
// - arXiv could not be read or answered nonsense    → 'failed', recorded with the error
// Nothing is half-written: the announcement and its poll row commit together.

type ArxivPollStatus = 'ok' | 'empty' | 'unchanged' | 'failed' | 'off';

export type ArxivPollResult = {
  status: ArxivPollStatus;
  /** arxiv_polls.id of the row this poll wrote (none for 'unchanged' and 'off'). */
  pollId: number | null;
  announcement: string | null;
  /** papers.id of papers seen for the first time (what watches are matched against). */
  inserted: number[];
  updated: number;
  /** Items left out (bad id, no title…) plus revisions of papers never stored. */
  skipped: number;
  warning: string | null;
  error: string | null;
};

export type ArxivPollOptions = { gate?: ArxivGate };

function arxivFeedUrl(base: string, categories: string[]): string {
  return `${base.endsWith('/') ? base : `${base}/`}${categories.join('+')}`;
}

/** meta key: when a poll last read the feed and found nothing new (such polls leave no row). */
export const ARXIV_CHECKED_AT = 'arxiv_feed_checked_at';

export const NO_ANNOUNCEMENT_WARNING = 'no announcement today (arXiv holiday?)';

function skippedWarning(listing: ArxivListing): string | null {
  if (listing.skipped.length === 0) return null;
  const reasons = listing.skipped.slice(0, 3).map((s) => s.reason).join('; ');
  return `skipped ${listing.skipped.length} item${listing.skipped.length === 1 ? '' : 's'} arXiv described badly (${reasons}${listing.skipped.length > 3 ? '; …' : ''})`;
}

export async function pollArxiv(deps: Deps, trigger: string, options: ArxivPollOptions = {}): Promise<ArxivPollResult> {
  const categories = deps.config.ARXIV_CATEGORIES;
  const base: ArxivPollResult = { status: 'off', pollId: null, announcement: null, inserted: [], updated: 0, skipped: 0, warning: null, error: null };
  if (categories.length === 0) return base;
  const log = deps.log.child({ module: 'arxiv', trigger });
  const now = () => deps.clock.now();
  const url = arxivFeedUrl(deps.config.ARXIV_RSS_URL, categories);
  // Changing ARXIV_CATEGORIES makes the current announcement new again: its other categories' papers.
  const asked = categoriesKey(categories);

  const failed = async (err: unknown, counts: { announcement?: string; fetched?: number; skipped?: number } = {}): Promise<ArxivPollResult> => {
    const error = err instanceof Error ? err.message : String(err);
    const pollId = await deps.store.recordArxivPoll({ status: 'failed', announcement: counts.announcement ?? null, categories: asked, error, warning: null, trigger, fetched: counts.fetched ?? 0, skipped: counts.skipped ?? 0, at: now() });
    log.warn({ kind: classify(err), error }, 'arXiv poll failed');
    return { ...base, status: 'failed', pollId, announcement: counts.announcement ?? null, skipped: counts.skipped ?? 0, error };
  };

  let listing: ArxivListing;
  try {
    const response = await getFromArxiv(deps, url, { gate: options.gate, timeoutMs: deps.config.FEED_TIMEOUT_MS });
    // An unknown category: arXiv answers an error page, not a feed. Name what we asked for.
    if (response.status !== 200) throw new TransientError(`arXiv refused the feed for ${categories.join(', ')} (HTTP ${response.status}): "${snippet(response.body)}"`);
    listing = parseArxivRss(response.body);
  } catch (err) {
    return failed(err);
  }

  const { announcement } = listing;
  const counts = { announcement, fetched: listing.items.length, skipped: listing.skipped.length };
  if (listing.items.length === 0 && listing.skipped.length > 0) return failed(new Error(`all ${listing.skipped.length} items of the arXiv feed were malformed (${skippedWarning(listing)})`), counts);
  const unchanged = async (): Promise<ArxivPollResult> => {
    // Status then knows an earlier failure is over.
    await deps.store.setMeta(ARXIV_CHECKED_AT, String(now()), now());
    return { ...base, status: 'unchanged', announcement };
  };
  try {
    if (await deps.store.arxivAnnouncementStored(announcement, asked)) return await unchanged();
    if (listing.items.length === 0) {
      const { lastPoll } = await deps.store.arxivPollState();
      if (lastPoll?.status === 'empty' && lastPoll.announcement === announcement && lastPoll.categories === asked) return await unchanged();
      // Mondays to Fridays carry Sunday-to-Thursday announcements: empty then means arXiv skipped one.
      const warning = isAnnouncementDate(announcement) ? NO_ANNOUNCEMENT_WARNING : null;
      const pollId = await deps.store.recordArxivPoll({ status: 'empty', announcement, categories: asked, warning, error: null, trigger, fetched: 0, skipped: 0, at: now() });
      log.info({ announcement, warning }, 'arXiv feed is empty');
      return { ...base, status: 'empty', pollId, announcement, warning };
    }
    const warning = skippedWarning(listing);
    const written = await deps.store.storeArxivAnnouncement({ announcement, categories: asked, items: listing.items, skipped: listing.skipped.length, warning, trigger, now: now() });
    const skipped = listing.skipped.length + written.revisionsSkipped;
    log.info({ announcement, fetched: listing.items.length, inserted: written.inserted.length, updated: written.updated, skipped }, 'stored arXiv announcement');
    return { status: 'ok', pollId: written.pollId, announcement, inserted: written.inserted, updated: written.updated, skipped, warning, error: null };
  } catch (err) {
    return failed(err, counts);
  }
}
