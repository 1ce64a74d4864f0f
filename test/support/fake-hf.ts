import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDailyItem } from '../../src/feed/schema.ts';
import type { FeedPaper } from '../../src/papers/feed-paper.ts';

// A local stand-in for https://huggingface.co/api/daily_papers (per-date bodies, paging by `p`)
// /api/papers/{id} (one paper; unknown id → 404 as on HF) and /api/arxiv/{id}/repos (the models,
// datasets and Spaces citing it; none by default): every request recorded, and the
// failure modes the real API (or the network) produces.

export type FakeFault =
  /** `times` (default 1) responses with `status` (default 500), then the items. */
  | { fault: 'error-then-ok'; items: unknown[]; times?: number; status?: number }
  /** `times` (default 1) × 429 with `Retry-After: seconds`, then the items. */
  | { fault: 'retry-after'; items: unknown[]; seconds: number; times?: number }
  /** `times` (default 1) × 429 with HF's `RateLimit: "api";r=0;t=<t>`, then the items. */
  | { fault: 'ratelimit-header'; items: unknown[]; t: number; times?: number }
  /** `times` (default: forever) connections destroyed before any response, then the items. */
  | { fault: 'reset'; items?: unknown[]; times?: number }
  /** Never answers (the client's timeout must fire). */
  | { fault: 'hang' }
  /** 200 with a truncated JSON body. */
  | { fault: 'malformed-json' }
  /** 200 with an HTML page (what a proxy or login wall serves). */
  | { fault: 'html' }
  /** Any status with a body, e.g. 400 for a bad date. */
  | { fault: 'status'; status: number; body?: string }
  /** 200 with this raw body (a JSON object instead of a list, …). */
  | { fault: 'body'; body: string; contentType?: string };

export type FakeDay = unknown[] | FakeFault;

export type FakeRequest = {
  path: string;
  date: string | null;
  page: number;
  limit: number;
  authorization: string | undefined;
  /** Date.now() when it arrived. */
  at: number;
};

export type FakeHf = {
  /** Base URL to use as HF_BASE_URL. */
  url: string;
  setDay(date: string, day: FakeDay): void;
  /** What `GET /api/papers/{id}` serves (unknown ids: 404). */
  setPaper(id: string, paper: Record<string, unknown>): void;
  setPaperFault(id: string, fault: FakeFault): void;
  /** What `GET /api/arxiv/{id}/repos` serves: repo ids per kind (the real body has more fields per repo). */
  setRepos(id: string, repos: { models?: string[]; datasets?: string[]; spaces?: string[] }): void;
  requests: FakeRequest[];
  /** Requests for one date (all pages, all attempts). */
  requestsFor(date: string): FakeRequest[];
  close(): Promise<void>;
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function page(items: unknown[], p: number, limit: number): unknown[] {
  return items.slice(p * limit, (p + 1) * limit);
}

export async function startFakeHf(routes: Record<string, FakeDay> = {}): Promise<FakeHf> {
  const days = new Map<string, FakeDay>(Object.entries(routes));
  const faultsServed = new Map<string, number>();
  const requests: FakeRequest[] = [];

  const papers = new Map<string, { body: Record<string, unknown> } | { fault: FakeFault }>();
  const repos = new Map<string, { models?: string[]; datasets?: string[]; spaces?: string[] }>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const reposOf = /^\/api\/arxiv\/(.+)\/repos$/.exec(url.pathname);
    if (reposOf) {
      requests.push({ path: url.pathname, date: null, page: 0, limit: 0, authorization: req.headers.authorization, at: Date.now() });
      const linked = repos.get(decodeURIComponent(reposOf[1] ?? '')) ?? {};
      const list = (ids: string[] = [], kind: string) => ids.map((id) => ({ id, author: id.split('/')[0], likes: 3, downloads: 120, lastModified: '2026-09-03T10:00:00.000Z', kind }));
      return sendJson(res, 200, { models: list(linked.models, 'model'), datasets: list(linked.datasets, 'dataset'), spaces: list(linked.spaces, 'space') });
    }
    if (url.pathname.startsWith('/api/papers/')) {
      const id = decodeURIComponent(url.pathname.slice('/api/papers/'.length));
      requests.push({ path: url.pathname, date: null, page: 0, limit: 0, authorization: req.headers.authorization, at: Date.now() });
      const served = papers.get(id);
      if (!served) return sendJson(res, 404, { error: 'Paper not found' });
      if ('body' in served) return sendJson(res, 200, served.body);
      const { fault } = served;
      if (fault.fault === 'hang') return undefined;
      if (fault.fault === 'reset') return req.socket.destroy();
      if (fault.fault === 'status') return sendJson(res, fault.status, { error: `status ${fault.status}` });
      if (fault.fault === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>maintenance</html>');
      }
      return sendJson(res, 500, { error: 'Internal Error' });
    }
    if (url.pathname !== '/api/daily_papers') return sendJson(res, 404, { error: 'Not Found' });
    const date = url.searchParams.get('date');
    const p = Number(url.searchParams.get('p') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '50');
    requests.push({ path: url.pathname, date, page: p, limit, authorization: req.headers.authorization, at: Date.now() });
    // Like HF: a date with nothing listed (weekend, holiday) is an empty list.
    const day: FakeDay = (date && days.get(date)) || [];
    if (Array.isArray(day)) return sendJson(res, 200, page(day, p, limit));

    const key = date ?? '';
    const served = faultsServed.get(key) ?? 0;
    const faulty = (times: number | undefined, fallback = 1) => served < (times ?? fallback);
    const serveFault = () => faultsServed.set(key, served + 1);
    switch (day.fault) {
      case 'error-then-ok':
        if (!faulty(day.times)) return sendJson(res, 200, page(day.items, p, limit));
        serveFault();
        return sendJson(res, day.status ?? 500, { error: 'Internal Error' });
      case 'retry-after':
        if (!faulty(day.times)) return sendJson(res, 200, page(day.items, p, limit));
        serveFault();
        return sendJson(res, 429, { error: 'Too Many Requests' }, { 'retry-after': String(day.seconds) });
      case 'ratelimit-header':
        if (!faulty(day.times)) return sendJson(res, 200, page(day.items, p, limit));
        serveFault();
        return sendJson(res, 429, { error: 'Too Many Requests' }, { ratelimit: `"api";r=0;t=${day.t}`, 'ratelimit-policy': '"api";q=500;w=300' });
      case 'reset':
        if (!faulty(day.times, Number.POSITIVE_INFINITY)) return sendJson(res, 200, page(day.items ?? [], p, limit));
        serveFault();
        return req.socket.destroy();
      case 'hang':
        return undefined;
      case 'malformed-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('[{"paper":{"id":"2410.17243","title":"Trunc');
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<!DOCTYPE html><html><head><title>Hugging Face – Maintenance</title></head><body>Back soon</body></html>');
      case 'status':
        res.writeHead(day.status, { 'content-type': 'application/json' });
        return res.end(day.body ?? JSON.stringify({ error: `status ${day.status}` }));
      case 'body':
        res.writeHead(200, { 'content-type': day.contentType ?? 'application/json' });
        return res.end(day.body);
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setDay(date, day) {
      days.set(date, day);
      faultsServed.delete(date);
    },
    setPaper(id, paper) {
      papers.set(id, { body: paper });
    },
    setPaperFault(id, fault) {
      papers.set(id, { fault });
    },
    setRepos(id, linked) {
      repos.set(id, linked);
    },
    requests,
    requestsFor: (date) => requests.filter((r) => r.date === date),
    close() {
      // Hanging requests keep sockets open: close them all, or vitest never exits.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

let itemCounter = 0;

/** A 2024-shaped daily item (like the real fixture); override paper fields or outer fields. */
export function hfItem(paper: Record<string, unknown> = {}, outer: Record<string, unknown> = {}): Record<string, unknown> {
  itemCounter += 1;
  const id = typeof paper.id === 'string' ? paper.id : `2501.${String(10000 + itemCounter)}`;
  const title = typeof paper.title === 'string' ? paper.title : `Paper number ${itemCounter} about diffusion`;
  return {
    paper: {
      id,
      authors: [{ _id: `a${itemCounter}`, name: 'Ada Lovelace', hidden: false }],
      publishedAt: '2025-01-02T17:59:30.000Z',
      title,
      summary: 'We propose a method.\nIt works well on\nbenchmarks.',
      upvotes: 5,
      discussionId: `d${itemCounter}`,
      ...paper,
    },
    publishedAt: '2025-01-03T00:57:09.392Z',
    title,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`,
    numComments: 1,
    ...outer,
  };
}

/** `n` distinct items, e.g. for paging (150 → two pages of 100 and 50). */
export function hfItems(n: number, prefix = '2502'): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => hfItem({ id: `${prefix}.${String(10000 + i)}`, upvotes: n - i }));
}

/** A fixture from test/fixtures, parsed. */
export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

/** The papers of a real Daily Papers fixture (e.g. `daily_papers-2024-10-25.json`), parsed as ingest parses them. */
export function fixturePapers(name: string): FeedPaper[] {
  const body = readFixture(name);
  if (!Array.isArray(body)) throw new Error(`${name} is not a list`);
  return body.flatMap((raw) => {
    const parsed = parseDailyItem(raw);
    return parsed.ok ? [parsed.paper] : [];
  });
}

