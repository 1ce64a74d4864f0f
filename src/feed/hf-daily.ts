import { isFeedDate } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { TransientError, UserError } from '../errors.ts';
import type { FeedPaper } from '../papers/feed-paper.ts';
import { hfBudget } from './hf-budget.ts';
import { getJson, HttpStatusError, type GetJsonOptions } from './http-get.ts';
import { parseDailyItem } from './schema.ts';

/** HF's maximum page size; a shorter page is the last one. */
const pageSize = 100;
/** 20 × 100 papers is far above any real day (~30–150): a bound against a server that ignores `p`. */
const maxPages = 20;

/** Knobs for tests and the CLI; production uses the defaults. */
export type FetchOptions = Partial<Pick<GetJsonOptions, 'retries' | 'backoffBaseMs' | 'backoffMaxMs' | 'maxRateLimitWaitMs' | 'priority' | 'signal' | 'sleep' | 'random'>>;

/** Headers of every Hugging Face request. */
export function hfHeaders(deps: Pick<Deps, 'config'>): Record<string, string> {
  // The token travels only in this header; log lines carry the URL, which never contains it.
  return deps.config.HF_TOKEN ? { authorization: `Bearer ${deps.config.HF_TOKEN}` } : {};
}

export type DailyPapers = {
  /** Deduplicated by arXiv id, in feed order (position = index). */
  papers: FeedPaper[];
  /** Items that could not be parsed (logged one by one). */
  skipped: number;
  /** Raw items received over all pages. */
  received: number;
};

function dailyUrl(base: string, feedDate: string, page: number): string {
  const query = new URLSearchParams({ date: feedDate, limit: String(pageSize), p: String(page) });
  // String join, not new URL(path, base): a path prefix in HF_BASE_URL (a proxy) must survive.
  return `${base.replace(/\/+$/, '')}/api/daily_papers?${query.toString()}`;
}

/**
 * The papers Hugging Face lists for one UTC feed day, all pages. `[]` (weekends, holidays) is a
 * normal empty result. Throws UserError('bad_date') when HF refuses the date (HTTP 400),
 * TransientError when the body is not a list or the server keeps failing, PermanentError on other 4xx.
 */
export async function fetchDailyPapers(deps: Deps, feedDate: string, options: FetchOptions = {}): Promise<DailyPapers> {
  if (!isFeedDate(feedDate)) throw new UserError('bad_date', `"${feedDate}" is not a date: use YYYY-MM-DD, e.g. 2024-10-25.`);
  const log = deps.log.child({ module: 'feed', feedDate });
  const headers = hfHeaders(deps);

  const byId = new Map<string, FeedPaper>();
  let skipped = 0;
  let received = 0;
  for (let page = 0; page < maxPages; page += 1) {
    const url = dailyUrl(deps.config.HF_BASE_URL, feedDate, page);
    let body: unknown;
    try {
      body = await getJson(deps, url, {
        source: 'hf',
        route: '/api/daily_papers',
        timeoutMs: deps.config.FEED_TIMEOUT_MS,
        retries: 3,
        headers,
        budget: hfBudget(deps.config),
        ...options,
      });
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 400) {
        throw new UserError('bad_date', `Hugging Face has no papers list for ${feedDate} (it refused the date: HTTP 400). Use a past or present day.`, {
          cause: err,
        });
      }
      throw err;
    }
    if (!Array.isArray(body)) {
      throw new TransientError(`Hugging Face returned ${body === null ? 'null' : typeof body} instead of a list for ${feedDate} (page ${page})`);
    }
    received += body.length;
    let added = 0;
    body.forEach((item, index) => {
      const result = parseDailyItem(item);
      if (!result.ok) {
        skipped += 1;
        log.warn({ page, index, id: result.id, reason: result.reason }, 'skipped malformed feed item');
        return;
      }
      // The same paper can appear twice (pages shifting while upvotes change): keep its first position.
      if (!byId.has(result.paper.arxivId)) {
        byId.set(result.paper.arxivId, result.paper);
        added += 1;
      }
    });
    if (body.length < pageSize) break;
    // A full page with nothing new means the server ignores `p`: stop instead of re-reading it 20 times.
    if (added === 0) {
      log.warn({ page }, 'full page with no new papers; stopping');
      break;
    }
    if (page === maxPages - 1) log.warn({ pages: maxPages }, 'page limit reached; the rest of the day is not fetched');
  }
  log.debug({ papers: byId.size, skipped, received }, 'fetched daily papers');
  return { papers: [...byId.values()], skipped, received };
}
