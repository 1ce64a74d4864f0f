import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for arXiv: the RSS listing (`/rss/cs.CL+cs.LG`, the format of arXiv's RSS
// specification, test/fixtures/arxiv/docs-rss-element-examples-from-arxiv-docs.txt) and the API
// (`/api/query?id_list=…`, Atom as in the recorded api-*.xml fixtures). Every request is recorded
// with the time it arrived, so tests can measure the client's spacing at the server.

export type RssItemSpec = {
  id: string;
  version?: number;
  type: 'new' | 'cross' | 'replace' | 'replace-cross';
  title?: string;
  abstract?: string;
  authors?: string[];
  categories?: string[];
};

export type FeedSpec =
  /** A listing dated `date` (YYYY-MM-DD, New York midnight) with these items (none = an empty feed). */
  | { date: string; items: RssItemSpec[] }
  /** 200 with an HTML maintenance page. */
  | { fault: 'html' }
  /** 200 with XML cut off mid-way. */
  | { fault: 'malformed' }
  /** Any status with a body (an unknown category's error page). */
  | { fault: 'status'; status: number; body: string }
  /** Never answers. */
  | { fault: 'hang' }
  /** `times` × `status` (503 or 429) with Retry-After: seconds, then `then`. */
  | { fault: 'retry-after'; status: 429 | 503; seconds: number; times: number; then: FeedSpec };

/** A search request (`cat:cs.CL AND submittedDate:[202609010000 TO 202609012359]`, start, max_results) → its page. */
export type SearchAnswer = (query: { searchQuery: string; start: number; maxResults: number }) => { body: string; status?: number };

export type AtomEntrySpec = { id: string; version?: number; title?: string; abstract?: string; authors?: string[]; categories?: string[]; published?: string };

/** One API entry as in the recorded api-*.xml fixtures (primary category first). */
export function atomEntryXml(entry: AtomEntrySpec): string {
  const categories = entry.categories ?? ['cs.CL'];
  const published = entry.published ?? '2026-09-01T17:59:46Z';
  return [
    '<entry>',
    `<id>http://arxiv.org/abs/${entry.id}v${entry.version ?? 1}</id>`,
    `<title>${escapeXml(entry.title ?? `Paper ${entry.id}`)}</title>`,
    `<updated>${published}</updated>`,
    `<link href="https://arxiv.org/abs/${entry.id}v${entry.version ?? 1}" rel="alternate" type="text/html"/>`,
    `<summary>${escapeXml(entry.abstract ?? 'We study a problem.')}</summary>`,
    ...categories.map((category) => `<category term="${category}" scheme="http://arxiv.org/schemas/atom"/>`),
    `<published>${published}</published>`,
    `<arxiv:primary_category term="${categories[0] ?? 'cs.CL'}"/>`,
    ...(entry.authors ?? ['Ada Lovelace', 'Alan Turing']).map((name) => `<author><name>${escapeXml(name)}</name></author>`),
    '</entry>',
  ].join('\n');
}

/** A whole API response: `entriesXml` with opensearch totals. */
export function atomFeed(entriesXml: string, totalResults: number, start = 0): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
<id>https://arxiv.org/api/fake</id>
<title>arXiv Query</title>
<opensearch:itemsPerPage>2000</opensearch:itemsPerPage>
<opensearch:totalResults>${totalResults}</opensearch:totalResults>
<opensearch:startIndex>${start}</opensearch:startIndex>
${entriesXml}
</feed>`;
}

export type ArxivRequest = { path: string; search: string; at: number; userAgent: string | undefined };

export type FakeArxiv = {
  /** For ARXIV_RSS_URL (ends with `/rss/`). */
  rssUrl: string;
  /** For ARXIV_API_URL. */
  apiUrl: string;
  /** The feed every `/rss/…` request gets. */
  setFeed(feed: FeedSpec): void;
  /** Raw Atom body (and status) for an `id_list`. */
  setApi(idList: string, body: string, status?: number): void;
  /** Answers `search_query` requests (the backfill); unset, a search finds nothing. */
  setSearch(answer: SearchAnswer | null): void;
  requests: ArxivRequest[];
  close(): Promise<void>;
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const RFC822_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RFC822_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Fri, 23 Feb 2024 00:00:00 -0500`: midnight in New York, as arXiv dates its feed. */
export function newYorkMidnight(date: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  // New York is UTC-4 in summer, UTC-5 in winter: read the offset the zone had at that noon.
  const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', hourCycle: 'h23' }).format(noon));
  const offset = hour - 12;
  const sign = offset < 0 ? '-' : '+';
  const [y, m, d] = date.split('-');
  return `${RFC822_DAYS[noon.getUTCDay()]}, ${d} ${RFC822_MONTHS[Number(m) - 1]} ${y} 00:00:00 ${sign}${String(Math.abs(offset)).padStart(2, '0')}00`;
}

export function rssItemXml(item: RssItemSpec, date: string): string {
  const versioned = `${item.id}v${item.version ?? 1}`;
  const categories = item.categories ?? ['cs.CL'];
  return [
    '<item>',
    `<title>${escapeXml(item.title ?? `Paper ${item.id}`)}</title>`,
    `<link>https://arxiv.org/abs/${item.id}</link>`,
    `<description>arXiv:${versioned} Announce Type: ${item.type} \nAbstract: ${escapeXml(item.abstract ?? 'We study a problem.')}</description>`,
    `<guid isPermaLink="false">oai:arXiv.org:${versioned}</guid>`,
    ...categories.map((category) => `<category>${category}</category>`),
    `<pubDate>${newYorkMidnight(date)}</pubDate>`,
    `<arxiv:announce_type>${item.type}</arxiv:announce_type>`,
    '<dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>',
    `<dc:creator>${escapeXml((item.authors ?? ['Ada Lovelace', 'Alan Turing']).join(', '))}</dc:creator>`,
    '</item>',
  ].join('\n');
}

/** A whole RSS document as arXiv serves it, with `itemsXml` inside the channel. */
export function rssDocument(date: string, itemsXml: string, categories = 'cs.CL'): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
<channel>
<title>${categories} updates on arXiv.org</title>
<link>http://rss.arxiv.org/rss/${categories}</link>
<description>${categories} updates on the arXiv.org e-print archive.</description>
<atom:link href="http://rss.arxiv.org/rss/${categories}" rel="self" type="application/rss+xml"/>
<docs>http://www.rssboard.org/rss-specification</docs>
<language>en-us</language>
<lastBuildDate>${newYorkMidnight(date)}</lastBuildDate>
<managingEditor>rss-help@arxiv.org</managingEditor>
<pubDate>${newYorkMidnight(date)}</pubDate>
<skipDays>
<day>Saturday</day>
<day>Sunday</day>
</skipDays>
${itemsXml}
</channel>
</rss>`;
}

export async function startFakeArxiv(): Promise<FakeArxiv> {
  let feed: FeedSpec = { date: '2026-09-01', items: [] };
  const api = new Map<string, { body: string; status: number }>();
  const requests: ArxivRequest[] = [];
  let search: SearchAnswer | null = null;
  const served = new WeakMap<FeedSpec, number>();

  const serveFeed = (spec: FeedSpec, res: ServerResponse, categories: string): void => {
    if ('date' in spec) {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(rssDocument(spec.date, spec.items.map((item) => rssItemXml(item, spec.date)).join('\n'), categories));
      return;
    }
    switch (spec.fault) {
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html>\n<html><head><title>arXiv is down for maintenance</title></head><body><h1>Down for maintenance</h1><p>Back soon.<br></p></body></html>');
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(rssDocument('2026-09-01', '<item><title>Cut off', categories).slice(0, 700));
        return;
      case 'status':
        res.writeHead(spec.status, { 'content-type': 'text/html' });
        res.end(spec.body);
        return;
      case 'hang':
        return;
      case 'retry-after': {
        const n = served.get(spec) ?? 0;
        if (n >= spec.times) return serveFeed(spec.then, res, categories);
        served.set(spec, n + 1);
        res.writeHead(spec.status, { 'retry-after': String(spec.seconds), 'content-type': 'text/plain' });
        res.end('Slow down');
        return;
      }
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ path: url.pathname, search: url.search, at: Date.now(), userAgent: req.headers['user-agent'] });
    if (url.pathname.startsWith('/rss/')) return serveFeed(feed, res, decodeURIComponent(url.pathname.slice('/rss/'.length)));
    if (url.pathname === '/api/query' && url.searchParams.has('search_query')) {
      const answer = search?.({
        searchQuery: url.searchParams.get('search_query') ?? '',
        start: Number(url.searchParams.get('start') ?? 0),
        maxResults: Number(url.searchParams.get('max_results') ?? 10),
      }) ?? { body: atomFeed('', 0) };
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
      return res.end(answer.body);
    }
    if (url.pathname === '/api/query') {
      const answer = api.get(url.searchParams.get('id_list') ?? '');
      res.writeHead(answer?.status ?? 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
      return res.end(
        answer?.body ??
          `<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom"><id>https://arxiv.org/api/x</id><title>arXiv Query</title><opensearch:totalResults>0</opensearch:totalResults></feed>`,
      );
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    rssUrl: `http://127.0.0.1:${port}/rss/`,
    apiUrl: `http://127.0.0.1:${port}/api/query`,
    setFeed(next) {
      feed = next;
    },
    setApi(idList, body, status = 200) {
      api.set(idList, { body, status });
    },
    setSearch(answer) {
      search = answer;
    },
    requests,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
