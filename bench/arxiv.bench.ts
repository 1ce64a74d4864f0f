import { parseArxivRss } from '../src/arxiv/parse-rss.ts';
import type { FeedPaper } from '../src/feed/feed-paper.ts';
import { nowMs, percentile } from './stats.ts';
import { openScratchStore, removeScratchDir } from './temp-db.ts';

// `npx tsx bench/arxiv.bench.ts`: one arXiv announcement of 2,000 items (a busy cs day across a
// few categories), parsed from RSS and stored (papers, FTS index, listings, poll row) in a fresh
// on-disk WAL database. Goal: under 0.5 s. Baseline, in the same process: the same 2,000 papers
// written as one Hugging Face feed day through store.upsertPapers (no XML to parse).

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
  removeScratchDir();
  const median = percentile(arxivMs, 50);
  const baseline = percentile(baselineMs, 50);
  process.stdout.write(
    [
      `arXiv RSS of ${ITEMS} items, parse + store: median ${median.toFixed(0)} ms over ${RUNS} runs (goal < ${GOAL_MS} ms: ${median < GOAL_MS ? 'met' : 'MISSED'})`,
      `baseline, the same papers as one Hugging Face day (upsertPapers): median ${baseline.toFixed(0)} ms; ratio ${(median / baseline).toFixed(2)}×`,
    ].join('\n') + '\n',
  );
}

await main();
