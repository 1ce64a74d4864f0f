import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A Hugging Face daily-papers stand-in for the kill-during-ingest tests: one day's items served
// in pages of `limit`, each page after `pageDelayMs`, and pages listed in `hangPages` never
// answered (the child is killed while it waits). Every request is recorded with its time, so a
// test can kill the child at a chosen point of the ingest.

/** `answeredAt`: when the page was sent back (unset while it waits or hangs). */
export type SlowHfRequest = { date: string | null; page: number; at: number; answeredAt?: number };

export type SlowHf = {
  url: string;
  requests: SlowHfRequest[];
  /** Replaces the day's items and how it is served. */
  setDay(date: string, items: unknown[], options?: { pageDelayMs?: number; hangPages?: number[] }): void;
  close(): Promise<void>;
};

type Day = { items: unknown[]; pageDelayMs: number; hangPages: Set<number> };

export async function startSlowHf(): Promise<SlowHf> {
  const days = new Map<string, Day>();
  const requests: SlowHfRequest[] = [];
  const send = (res: ServerResponse, request: SlowHfRequest, body: unknown) => {
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
    request.answeredAt = Date.now();
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const date = url.searchParams.get('date');
    const page = Number(url.searchParams.get('p') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '100');
    const request: SlowHfRequest = { date, page, at: Date.now() };
    requests.push(request);
    const day = date ? days.get(date) : undefined;
    if (!day) return send(res, request, []);
    if (day.hangPages.has(page)) return undefined;
    const body = day.items.slice(page * limit, (page + 1) * limit);
    if (day.pageDelayMs <= 0) return send(res, request, body);
    setTimeout(() => send(res, request, body), day.pageDelayMs);
    return undefined;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setDay(date, items, options = {}) {
      days.set(date, { items, pageDelayMs: options.pageDelayMs ?? 0, hangPages: new Set(options.hangPages ?? []) });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
