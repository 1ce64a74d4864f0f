import { categoriesKey } from '../papers/arxiv-category.ts';
import { parseArxivAtom } from '../arxiv/parse-atom.ts';
import { getFromArxiv, type ArxivGate } from '../arxiv/polite-client.ts';
import { snippet } from '../arxiv/parse-xml.ts';
import { addDays } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { classify, TransientError } from '../errors.ts';

// The arXiv history backfill (`paperboy backfill --source arxiv --from D [--to D]`): for every
// category of ARXIV_CATEGORIES and every UTC day of [from, to], newest first, the arXiv API's
// `search_query=cat:X AND submittedDate:[D0000 TO D2359]`, paged with start/max_results, through
// the process-wide polite gate (one request at a time, 3 s apart).
//
// Resumability rule: a (category, day) is done once its last page is stored, and the day row
// commits with that page (store.storeArxivBackfillPage); a later run asks only for days not done.
// A run killed mid-day fetches that day again from its first page (storing a paper twice is an
// update). A day that fails is counted and left for the next run. Silent: the papers go below
// every stored paper, so alert planning never sees them, and no digest reads them.

/** arXiv's cap on max_results per request. */
const ARXIV_MAX_PAGE = 2_000;

type ArxivBackfillOptions = {
  from: string;
  to: string;
  /** Papers per request, ≤ 2000 (default 2000). */
  pageSize?: number;
  gate?: ArxivGate;
  /** Aborted: the run ends after the current page. */
  signal?: AbortSignal;
  onDay?: (progress: ArxivBackfillProgress) => void;
};

type ArxivBackfillProgress = {
  /** (category, day) pairs in the range. */
  total: number;
  /** Pairs stored, before this run and by it. */
  done: number;
  requests: number;
  inserted: number;
  updated: number;
  /** `cs.CL 2026-09-01: why`, for pairs that failed in this run. */
  failed: string[];
};

type ArxivBackfillOutcome = { status: 'complete' | 'stopped' | 'store_failed'; progress: ArxivBackfillProgress; error?: string };

const compact = (day: string) => day.replaceAll('-', '');

function pageUrl(base: string, category: string, day: string, start: number, size: number): string {
  const url = new URL(base);
  url.searchParams.set('search_query', `cat:${category} AND submittedDate:[${compact(day)}0000 TO ${compact(day)}2359]`);
  url.searchParams.set('start', String(start));
  url.searchParams.set('max_results', String(size));
  // A stable order, so that start/max_results pages neither repeat nor skip a paper.
  url.searchParams.set('sortBy', 'submittedDate');
  url.searchParams.set('sortOrder', 'ascending');
  return url.toString();
}

/** Every day of [from, to], newest first (recent history becomes searchable first). */
function daysNewestFirst(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = to; day >= from; day = addDays(day, -1)) days.push(day);
  return days;
}

/** One (category, day): its pages until arXiv's total is reached; throws on the first page that fails. */
async function backfillDay(deps: Pick<Deps, 'fetch' | 'store' | 'clock' | 'log' | 'config'>, category: string, day: string, options: ArxivBackfillOptions, progress: ArxivBackfillProgress): Promise<void> {
  const size = Math.min(options.pageSize ?? ARXIV_MAX_PAGE, ARXIV_MAX_PAGE);
  const key = categoriesKey([category]);
  for (let start = 0; ; ) {
    const url = pageUrl(deps.config.ARXIV_API_URL, category, day, start, size);
    progress.requests += 1;
    const response = await getFromArxiv(deps, url, { gate: options.gate, timeoutMs: deps.config.FEED_TIMEOUT_MS, retries: 4 });
    // 400 carries arXiv's error entry (parseArxivAtom throws it as ArxivApiError).
    if (response.status !== 200 && response.status !== 400) throw new TransientError(`arXiv API answered HTTP ${response.status}: "${snippet(response.body)}"`);
    const page = parseArxivAtom(response.body);
    const entries = page.papers.length + page.skipped;
    const total = page.totalResults ?? 0;
    // arXiv sometimes answers an empty page before the end: that is a failure to retry, not the end.
    if (entries === 0 && start < total) throw new TransientError(`arXiv API answered an empty page at ${start} of ${total}`);
    const dayDone = entries === 0 || start + entries >= total;
    let written: { inserted: number; updated: number };
    try {
      written = await deps.store.storeArxivBackfillPage({ category: key, day, papers: page.papers, dayDone, now: deps.clock.now() });
    } catch (err) {
      throw new StoreFailed(err);
    }
    progress.inserted += written.inserted;
    progress.updated += written.updated;
    if (dayDone) return;
    start += entries;
  }
}

/** The database refused a write: the run stops (the next pages would fail the same way). */
class StoreFailed extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

export async function runArxivBackfill(deps: Pick<Deps, 'fetch' | 'store' | 'clock' | 'log' | 'config'>, options: ArxivBackfillOptions): Promise<ArxivBackfillOutcome> {
  // No categories (the source is off): nothing to do.
  const categories = deps.config.ARXIV_CATEGORIES;
  const log = deps.log.child({ module: 'arxiv-backfill' });
  const days = daysNewestFirst(options.from, options.to);
  const todo: Array<{ category: string; day: string }> = [];
  const progress: ArxivBackfillProgress = { total: categories.length * days.length, done: 0, requests: 0, inserted: 0, updated: 0, failed: [] };
  for (const category of categories) {
    const done = new Set(await deps.store.arxivBackfilledDays(categoriesKey([category]), options.from, options.to));
    progress.done += done.size;
    for (const day of days) if (!done.has(day)) todo.push({ category, day });
  }
  for (const { category, day } of todo) {
    if (options.signal?.aborted) return { status: 'stopped', progress };
    try {
      await backfillDay(deps, category, day, options, progress);
      progress.done += 1;
    } catch (err) {
      if (err instanceof StoreFailed) {
        log.error({ category, day, err: err.reason }, 'arXiv backfill could not store a page');
        return { status: 'store_failed', progress, error: err.message };
      }
      // The request's URL says no more than the category and day already do.
      const reason = (err instanceof Error ? err.message : String(err)).replace(/^GET \S+ /, '');
      progress.failed.push(`${category} ${day}: ${reason.slice(0, 200)}`);
      log.warn({ category, day, kind: classify(err), reason }, 'arXiv backfill day failed; the next run retries it');
    }
    options.onDay?.(progress);
  }
  log.info({ from: options.from, to: options.to, ...progress, failed: progress.failed.length }, 'arXiv backfill finished');
  return { status: 'complete', progress };
}
