import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, send } from './fake-http.ts';

// A local stand-in for Discord's REST API that enforces the global limit of 50 requests per second
// the way a careful client must assume it: at most `limit` accepted requests in ANY sliding window
// of `windowMs` (stricter than fixed windows, which let 2× through across a boundary). Over the
// limit it answers 429 with a global `Retry-After` (seconds, fractional, as Discord's body gives it)
// and `X-RateLimit-Global: true`, which @discordjs/rest understands.

export type RateLimitStats = {
  accepted: number;
  rejected: number;
  /** Arrival times (ms, monotonic) of accepted requests, in order. */
  acceptedAt: number[];
  rejectedAt: number[];
};

export type RateLimitedDiscord = {
  /** REST base as discord.js wants it: without `/v10`. */
  apiUrl: string;
  stats: RateLimitStats;
  close(): Promise<void>;
};

const now = () => Number(process.hrtime.bigint()) / 1e6;

export async function startRateLimitedDiscord(options: { limit?: number; windowMs?: number } = {}): Promise<RateLimitedDiscord> {
  const limit = options.limit ?? 50;
  const windowMs = options.windowMs ?? 1000;
  const stats: RateLimitStats = { accepted: 0, rejected: 0, acceptedAt: [], rejectedAt: [] };
  let messageSeq = 0;

  const server = createServer((req, res) => {
    void readBody(req).then(() => handle(req, res));
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const t = now();
    // Requests older than the window no longer count; acceptedAt is sorted, so look `limit` back.
    const oldestInWindow = stats.acceptedAt[stats.acceptedAt.length - limit];
    if (oldestInWindow !== undefined && t - oldestInWindow < windowMs) {
      stats.rejected += 1;
      stats.rejectedAt.push(t);
      const retryAfter = (windowMs - (t - oldestInWindow)) / 1000;
      send(res, 429, { message: 'You are being rate limited.', retry_after: retryAfter, global: true }, {
        'Retry-After': retryAfter.toFixed(3),
        'X-RateLimit-Global': 'true',
        'X-RateLimit-Scope': 'global',
      });
      return;
    }
    stats.accepted += 1;
    stats.acceptedAt.push(t);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const channelMessage = /^\/api\/v10\/channels\/([^/]+)\/messages$/.exec(path);
    if (req.method === 'POST' && channelMessage) {
      messageSeq += 1;
      send(res, 200, { id: String(1_000_000_000_000_000n + BigInt(messageSeq)), channel_id: channelMessage[1], type: 0 });
      return;
    }
    if (req.method === 'POST' && path === '/api/v10/users/@me/channels') {
      messageSeq += 1;
      send(res, 200, { id: String(2_000_000_000_000_000n + BigInt(messageSeq)), type: 1 });
      return;
    }
    send(res, 404, { message: 'Unknown route', code: 0 });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake did not get a TCP port');
  const { port } = address;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}


