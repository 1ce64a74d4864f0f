import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArxivRss } from '../src/arxiv/parse-rss.ts';
import { createArxivGate } from '../src/arxiv/polite-client.ts';
import { runArxivBackfill } from '../src/backfill/arxiv-backfill.ts';
import { addDays } from '../src/clock.ts';
import { benchDeps } from './delivery-harness.ts';
import type { FeedPaper } from '../src/papers/feed-paper.ts';
import { nowMs, percentile } from './stats.ts';
import { openScratchStore, removeScratchDir } from './temp-db.ts';

// `npx tsx bench/arxiv.bench.ts`:
// 1. one arXiv announcement of 2,000 items (a busy cs day across a few categories), parsed from RSS
//    and stored (papers, FTS index, listings, poll row) in a fresh on-disk WAL database. Goal: under
//    0.5 s. Baseline, in the same process: the same 2,000 papers written as one Hugging Face feed
//    day through store.upsertPapers (no XML to parse).
// 2. `backfill --source arxiv` of 100,000 papers (50 days × 2,000, one category, pages of 2,000)
//    from a local fake of the API with no delays (the gate's spacing 0): requests, Atom parsing and
//    storing, into a fresh on-disk database. Goal: under 60 s. The fake's pages are built before
//    the clock starts, so the figure is paperboy's work.

const ITEMS = 2_000;
const RUNS = 5;
const GOAL_MS = 500;
const words = ['retrieval', 'language', 'model', 'graph', 'neural', 'agents', 'reasoning', 'diffusion', 'benchmark', 'alignment', 'tokens', 'speech', 'vision', 'policy', 'robust'];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const sentence = (i: number, n: number) => Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
const id = (i: number) => `2609.${String(10000 + i)}`;

function rss(): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const type = i % 10 === 9 ? 'replace' : i % 4 === 3 ? 'cross' : 'new';
    return `<item><title>${escapeXml(sentence(i, 9))}</title><link>https://arxiv.org/abs/${id(i)}</link>
<description>arXiv:${id(i)}v1 Announce Type: ${type} 
Abstract: ${escapeXml(`${sentence(i, 60)} $\\mathcal{O}(n^2)$ & more.`)}</description>
<guid isPermaLink="false">oai:arXiv.org:${id(i)}v1</guid><category>cs.CL</category><category>cs.LG</category>
<pubDate>Tue, 01 Sep 2026 00:00:00 -0400</pubDate><arxiv:announce_type>${type}</arxiv:announce_type>
<dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights><dc:creator>Ada Lovelace, Alan Turing, Grace Hopper</dc:creator></item>`;
  });
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>
<title>cs.CL+cs.LG updates on arXiv.org</title><pubDate>Tue, 01 Sep 2026 00:00:00 -0400</pubDate>
${items.join('\n')}</channel></rss>`;
}

function feedPapers(): FeedPaper[] {
  return Array.from({ length: ITEMS }, (_, i) => ({
    arxivId: id(i),
    title: sentence(i, 9),
    abstract: `${sentence(i, 60)} $\\mathcal{O}(n^2)$ & more.`,
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
    organization: null,
    publishedAt: null,
    upvotes: 0,
    numComments: null,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    aiSummary: null,
    aiKeywords: null,
    thumbnail: null,
  }));
}

const BACKFILL_DAYS = 50;
const BACKFILL_PER_DAY = 2_000;
const BACKFILL_GOAL_MS = 60_000;
const FIRST_DAY = '2026-06-01';

/** The API's Atom for one day's page (as the recorded api-*.xml fixtures), built once. */
function atomPage(day: number): string {
  const date = addDays(FIRST_DAY, day);
  const entries = Array.from({ length: BACKFILL_PER_DAY }, (_, i) => {
    const n = day * BACKFILL_PER_DAY + i;
    const arxivId = `26${String(6 + Math.floor(day / 30)).padStart(2, '0')}.${String(n % 100_000).padStart(5, '0')}`;
    return `<entry><id>http://arxiv.org/abs/${arxivId}v1</id><title>${escapeXml(sentence(n, 9))}</title><updated>${date}T10:00:00Z</updated>
<summary>${escapeXml(sentence(n, 60))}</summary><category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/><category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
<published>${date}T10:00:00Z</published><arxiv:primary_category term="cs.CL"/><author><name>Ada Lovelace</name></author><author><name>Alan Turing</name></author></entry>`;
  });
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
<id>https://arxiv.org/api/bench</id><title>arXiv Query</title><opensearch:totalResults>${BACKFILL_PER_DAY}</opensearch:totalResults>
${entries.join('\n')}</feed>`;
}

async function backfillBench(): Promise<string> {
  const pages = new Map(Array.from({ length: BACKFILL_DAYS }, (_, day) => [addDays(FIRST_DAY, day).replaceAll('-', ''), atomPage(day)]));
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://bench').searchParams.get('search_query') ?? '';
    const day = /submittedDate:\[(\d{8})0000/.exec(query)?.[1] ?? '';
    res.writeHead(200, { 'content-type': 'application/atom+xml; charset=utf-8' });
    res.end(pages.get(day) ?? pages.values().next().value);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scratch = openScratchStore('arxiv-backfill');
  const deps = benchDeps({ ARXIV_CATEGORIES: 'cs.CL', ARXIV_API_URL: `http://127.0.0.1:${port}/api/query`, FEED_TIMEOUT_MS: '60000' }, scratch.store);
  const start = nowMs();
  const outcome = await runArxivBackfill(deps, { from: FIRST_DAY, to: addDays(FIRST_DAY, BACKFILL_DAYS - 1), gate: createArxivGate({ spacingMs: 0 }) });
  const ms = nowMs() - start;
  server.close();
  await scratch.dispose();
  const { inserted, requests, failed } = outcome.progress;
  if (failed.length > 0 || inserted !== BACKFILL_DAYS * BACKFILL_PER_DAY) throw new Error(`backfill stored ${inserted} papers, ${failed.length} days failed: ${failed.slice(0, 2).join('; ')}`);
  return `arXiv API backfill of ${inserted} papers in ${requests} pages: ${(ms / 1000).toFixed(1)} s, ${Math.round(inserted / (ms / 1000))} papers/s (goal < ${BACKFILL_GOAL_MS / 1000} s: ${ms < BACKFILL_GOAL_MS ? 'met' : 'MISSED'})`;
}

async function main(): Promise<void> {
  const body = rss();
  const papers = feedPapers();
  const arxivMs: number[] = [];
  const baselineMs: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const a = openScratchStore('arxiv');
    const start = nowMs();
    const listing = parseArxivRss(body);
    await a.store.storeArxivAnnouncement({ announcement: listing.announcement, categories: 'cs.cl,cs.lg', items: listing.items, skipped: listing.skipped.length, warning: null, trigger: 'bench', now: 1 });
    arxivMs.push(nowMs() - start);
    await a.dispose();

    const b = openScratchStore('hf');
    const baselineStart = nowMs();
    await b.store.upsertPapers('2026-09-01', papers, 1);
    baselineMs.push(nowMs() - baselineStart);
    await b.dispose();
  }
  const backfillLine = await backfillBench();
  removeScratchDir();
  const median = percentile(arxivMs, 50);
  const baseline = percentile(baselineMs, 50);
  process.stdout.write(
    [
      `arXiv RSS of ${ITEMS} items, parse + store: median ${median.toFixed(0)} ms over ${RUNS} runs (goal < ${GOAL_MS} ms: ${median < GOAL_MS ? 'met' : 'MISSED'})`,
      `baseline, the same papers as one Hugging Face day (upsertPapers): median ${baseline.toFixed(0)} ms; ratio ${(median / baseline).toFixed(2)}×`,
      backfillLine,
    ].join('\n') + '\n',
  );
}

await main();
