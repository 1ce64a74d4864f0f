import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RateLimitStats } from './rate-limited-discord.ts';
import { readBody, send } from './fake-http.ts';

// A local stand-in for Slack's Web API that enforces chat.postMessage's "1 message per second per
// channel": a message to a channel that already got one in the last `spacingMs` is refused with
// 429 and `Retry-After` in whole seconds (rounded up), as Slack does. Other methods the sender may
// call (auth.test, conversations.open, conversations.history) answer without limits.

export type RateLimitedSlack = {
  /** Base for the WebClient's `slackApiUrl` (trailing slash). */
  apiUrl: string;
  stats: RateLimitStats & { perChannel: Map<string, number> };
  close(): Promise<void>;
};

const now = () => Number(process.hrtime.bigint()) / 1e6;

export async function startRateLimitedSlack(options: { spacingMs?: number } = {}): Promise<RateLimitedSlack> {
  const spacingMs = options.spacingMs ?? 1000;
  const stats: RateLimitedSlack['stats'] = { accepted: 0, rejected: 0, acceptedAt: [], rejectedAt: [], perChannel: new Map() };
  const lastAccepted = new Map<string, number>();
  const history = new Map<string, Array<{ ts: string; text: string; metadata?: unknown }>>();
  let seq = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((body) => handle(req, res, parseParams(req, body)));
  });

  function handle(req: IncomingMessage, res: ServerResponse, params: Record<string, unknown>): void {
    const method = (req.url ?? '').split('?')[0]?.replace(/^\/api\//, '') ?? '';
    if (method === 'auth.test') return send(res, 200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', url: 'https://bench.slack.test/' });
    if (method === 'conversations.open') {
      const users = typeof params.users === 'string' ? params.users : 'U0';
      return send(res, 200, { ok: true, channel: { id: `D${users.split(',')[0]}` } });
    }
    if (method === 'conversations.history') {
      const channel = typeof params.channel === 'string' ? params.channel : '';
      return send(res, 200, { ok: true, messages: [...(history.get(channel) ?? [])].reverse(), has_more: false });
    }
    if (method !== 'chat.postMessage') return send(res, 200, { ok: false, error: 'unknown_method' });
    const channel = typeof params.channel === 'string' ? params.channel : '';
    if (!channel) return send(res, 200, { ok: false, error: 'channel_not_found' });
    const t = now();
    const last = lastAccepted.get(channel);
    if (last !== undefined && t - last < spacingMs) {
      stats.rejected += 1;
      stats.rejectedAt.push(t);
      return send(res, 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(Math.ceil((spacingMs - (t - last)) / 1000)) });
    }
    lastAccepted.set(channel, t);
    stats.accepted += 1;
    stats.acceptedAt.push(t);
    stats.perChannel.set(channel, (stats.perChannel.get(channel) ?? 0) + 1);
    seq += 1;
    const ts = `${1_790_000_000 + seq}.${String(seq).padStart(6, '0')}`;
    const text = typeof params.text === 'string' ? params.text : '';
    const messages = history.get(channel) ?? [];
    messages.push({ ts, text, metadata: params.metadata });
    history.set(channel, messages);
    send(res, 200, { ok: true, channel, ts, message: { ts, text, type: 'message' } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake did not get a TCP port');
  const { port } = address;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The WebClient posts form-encoded bodies (JSON-valued fields as strings); some callers post JSON. */
function parseParams(req: IncomingMessage, body: string): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? { ...parsed } : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}


