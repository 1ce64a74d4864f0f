import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { until } from './wait.ts';

// A local stand-in for Slack: the Web API methods the adapter calls (form-encoded like the
// WebClient sends them, or JSON), response_url sinks, and a Socket Mode WebSocket. Everything is
// recorded in one ordered event log, so tests can assert what happened and in which order.

export const FAKE_BOT_TOKEN = 'xoxb-fake-bot-token';
export const FAKE_APP_TOKEN = 'xapp-fake-app-token';
export const FAKE_TEAM = 'T0FAKE';
export const FAKE_BOT_USER = 'UBOT';

export type Fault =
  /** 429 with `Retry-After: seconds` (Slack's minimum is 1). */
  | { kind: 'ratelimit'; retryAfter: number }
  /** HTTP 200 `{ ok: false, error }`. */
  | { kind: 'error'; error: string }
  /** Any HTTP status (500, 503) with a small body. */
  | { kind: 'status'; status: number }
  /** Answers normally once `release` resolves. */
  | { kind: 'hold'; release: Promise<void> };

export type StoredMessage = {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  threadTs?: string;
  unfurlLinks?: unknown;
  unfurlMedia?: unknown;
};

type FakeEventInput =
  | { type: 'call'; method: string; body: Record<string, unknown>; token: string | null; answered: 'ok' | string }
  | { type: 'response'; id: string; body: Record<string, unknown> }
  | { type: 'ack'; envelopeId: string; payload: unknown };
/**
 * `seq` orders everything the fake saw: calls, response_url posts, Socket Mode acks; `at` is when
 * the fake recorded it (performance.now(): a call is recorded as it is answered).
 */
export type FakeEvent = FakeEventInput & { seq: number; at: number };

type ChannelState = { member: boolean; archived: boolean; exists: boolean; joinable: boolean };
type UserState = { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean };

const Json = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const AckMessage = z.looseObject({ envelope_id: z.string(), payload: z.unknown().optional() });

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

export async function startFakeSlack() {
  const events: FakeEvent[] = [];
  let seq = 0;
  const record = (event: FakeEventInput): void => {
    events.push({ ...event, seq: (seq += 1), at: performance.now() });
  };
  const faults = new Map<string, Fault[]>();
  const channels = new Map<string, ChannelState>();
  const users = new Map<string, UserState>();
  const messages: StoredMessage[] = [];
  const views = new Map<string, unknown>();
  const sockets = new Set<WebSocket>();
  const ackWaiters = new Map<string, (payload: unknown) => void>();
  let tokenValid = true;
  let tsCounter = 0;
  let envelopeCounter = 0;
  let responseCounter = 0;

  const channelState = (id: string): ChannelState => channels.get(id) ?? { member: true, archived: false, exists: true, joinable: true };
  const nextTs = () => `${1_700_000_000 + Math.floor((tsCounter += 1) / 1000)}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
  const str = (value: unknown) => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));
  const flag = (value: unknown) => value === true || value === 'true' || value === '1';

  /** Web API methods: `ok: true` payload, or an error string answered as `{ ok: false, error }`. */
  const methods: Record<string, (body: Record<string, unknown>) => Record<string, unknown> | string> = {
    'auth.test': () => ({ url: 'https://fake.slack.com/', team: 'Fake', user: 'paperboy', team_id: FAKE_TEAM, user_id: FAKE_BOT_USER, bot_id: 'BFAKE' }),
    'apps.connections.open': () => ({ url: `${wsUrl}/socket` }),
    'users.info': (body) => {
      const id = str(body.user);
      const user = users.get(id);
      return user ? { user: { id, name: id.toLowerCase(), ...user } } : 'user_not_found';
    },
    'conversations.open': (body) => {
      const user = str(body.users);
      return users.has(user) || user.startsWith('U') ? { channel: { id: `D${user}` } } : 'user_not_found';
    },
    'conversations.join': (body) => {
      const id = str(body.channel);
      const state = channelState(id);
      if (!state.exists) return 'channel_not_found';
      if (state.archived) return 'is_archived';
      if (!state.joinable) return 'method_not_supported_for_channel_type';
      channels.set(id, { ...state, member: true });
      return { channel: { id } };
    },
    'chat.postMessage': (body) => {
      const channel = str(body.channel);
      const problem = channelProblem(channel);
      if (problem) return problem;
      const blocks = Array.isArray(body.blocks) ? body.blocks : [];
      if (blocks.length > 50) return 'invalid_blocks';
      const ts = nextTs();
      const metadata = z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) }).safeParse(body.metadata);
      messages.push({
        channel,
        ts,
        text: str(body.text),
        blocks,
        ...(metadata.success ? { metadata: metadata.data } : {}),
        ...(body.thread_ts ? { threadTs: str(body.thread_ts) } : {}),
        unfurlLinks: body.unfurl_links,
        unfurlMedia: body.unfurl_media,
      });
      return { channel, ts, message: { ts, text: str(body.text) } };
    },
    'chat.update': (body) => {
      const found = messages.find((m) => m.channel === str(body.channel) && m.ts === str(body.ts));
      if (!found) return 'message_not_found';
      found.text = str(body.text);
      if (Array.isArray(body.blocks)) found.blocks = body.blocks;
      return { channel: found.channel, ts: found.ts };
    },
    'conversations.history': (body) => {
      const channel = str(body.channel);
      const problem = channelProblem(channel);
      if (problem) return problem;
      const withMeta = flag(body.include_all_metadata);
      const list = messages.filter((m) => m.channel === channel && !m.threadTs).reverse().slice(0, Number(body.limit ?? 100));
      return { messages: list.map((m) => apiMessage(m, withMeta)), has_more: false, response_metadata: { next_cursor: '' } };
    },
    'conversations.replies': (body) => {
      const channel = str(body.channel);
      const ts = str(body.ts);
      const parent = messages.find((m) => m.channel === channel && m.ts === ts);
      if (!parent) return 'thread_not_found';
      const replies = messages.filter((m) => m.channel === channel && m.threadTs === ts);
      return { messages: [parent, ...replies].map((m) => apiMessage(m, flag(body.include_all_metadata))), has_more: false };
    },
    'views.publish': (body) => {
      views.set(str(body.user_id), body.view);
      return { view: { id: 'V1' } };
    },
  };

  function channelProblem(channel: string): string | null {
    if (channel.startsWith('D')) return null;
    const state = channelState(channel);
    if (!state.exists) return 'channel_not_found';
    if (state.archived) return 'is_archived';
    if (!state.member) return 'not_in_channel';
    return null;
  }

  function apiMessage(m: StoredMessage, withMetadata: boolean) {
    return {
      type: 'message',
      ts: m.ts,
      text: m.text,
      bot_id: 'BFAKE',
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    };
  }

  async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const raw = Buffer.concat(chunks).toString('utf8');
    if (!raw) return {};
    if ((req.headers['content-type'] ?? '').includes('application/json')) {
      const parsed = z.record(z.string(), z.unknown()).safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : {};
    }
    // The WebClient form-encodes; structured arguments (blocks, metadata, view) are JSON strings.
    const out: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      const json = /^[[{]/.test(value) ? Json.safeParse(safeParse(value)) : null;
      out[key] = json?.success ? json.data : value;
    }
    return out;
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    const response = /^\/response\/([\w-]+)$/.exec(url.pathname);
    if (response) {
      // fault('response', …) refuses the next response_url posts (Slack answers 4xx/5xx there).
      const refused = faults.get('response')?.shift();
      if (refused?.kind === 'status') return send(res, refused.status, { ok: false, error: 'invalid_blocks' });
      record({ type: 'response', id: response[1] ?? '', body });
      return send(res, 200, { ok: true });
    }
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    const handler = method ? methods[method] : undefined;
    if (!method || !handler) return send(res, 404, { ok: false, error: 'unknown_method' });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof body.token === 'string' ? body.token : null);
    const fault = faults.get(method)?.shift();
    const answer = (answered: string) => record({ type: 'call', method, body, token, answered });
    if (fault?.kind === 'hold') await fault.release;
    else if (fault?.kind === 'ratelimit') {
      answer('ratelimited');
      return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
    } else if (fault?.kind === 'status') {
      answer(`http_${fault.status}`);
      return send(res, fault.status, { ok: false, error: 'fatal_error' });
    } else if (fault?.kind === 'error') {
      answer(fault.error);
      return send(res, 200, { ok: false, error: fault.error });
    }
    const expected = method === 'apps.connections.open' ? FAKE_APP_TOKEN : FAKE_BOT_TOKEN;
    if (token !== expected || (!tokenValid && method !== 'apps.connections.open')) {
      answer('invalid_auth');
      return send(res, 200, { ok: false, error: 'invalid_auth' });
    }
    const result = handler(body);
    if (typeof result === 'string') {
      answer(result);
      return send(res, 200, { ok: false, error: result });
    }
    answer('ok');
    return send(res, 200, { ok: true, ...result });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { ok: false, error: String(err) }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!req.url?.startsWith('/socket')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const ack = AckMessage.safeParse(safeParse(String(data)));
        if (!ack.success) return;
        record({ type: 'ack', envelopeId: ack.data.envelope_id, payload: ack.data.payload });
        ackWaiters.get(ack.data.envelope_id)?.(ack.data.payload);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'AFAKE' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}`;

  /** The next `times` calls of `method` fail this way. */
  function addFault(method: string, fault: Fault, times = 1): void {
    const list = faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) list.push(fault);
    faults.set(method, list);
  }

  /** Polls `probe` (sync or async) until it gives something truthy, and resolves with that. */
  function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 8_000) {
    return until(probe, `fake Slack: ${what}`, { timeoutMs, stepMs: 10 });
  }

  return {
    /** SLACK_API_URL for the adapter (with the trailing slash the WebClient expects). */
    apiUrl: `${base}/api/`,
    url: base,
    events,
    messages,
    views,
    calls: (method?: string) =>
      events.flatMap((e) => (e.type === 'call' && (method === undefined || e.method === method) ? [e] : [])),
    responses: (id: string) => events.flatMap((e) => (e.type === 'response' && e.id === id ? [e.body] : [])),
    fault: addFault,
    /** The next call of `method` waits until `release()`. */
    hold(method: string): { release(): void } {
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      addFault(method, { kind: 'hold', release: released });
      return { release };
    },
    setChannel(id: string, state: Partial<ChannelState>) {
      channels.set(id, { ...channelState(id), ...state });
    },
    setUser(id: string, state: UserState) {
      users.set(id, state);
    },
    /** From now on every bot-token call answers invalid_auth. */
    revokeToken() {
      tokenValid = false;
    },
    /** A person deleted the message (chat.delete): its thread can no longer be read (thread_not_found), its replies stay. */
    deleteMessage(channel: string, ts: string) {
      const index = messages.findIndex((m) => m.channel === channel && m.ts === ts);
      if (index >= 0) messages.splice(index, 1);
    },
    /** Puts a message in a channel as if an earlier run had posted it. */
    addMessage(message: Omit<StoredMessage, 'ts' | 'text' | 'blocks'> & Partial<StoredMessage>): StoredMessage {
      const stored = { ts: nextTs(), text: '', blocks: [], ...message };
      messages.push(stored);
      return stored;
    },
    newResponseUrl(): { id: string; url: string } {
      const id = `r${(responseCounter += 1)}`;
      return { id, url: `${base}/response/${id}` };
    },
    connectedSockets: () => sockets.size,
    /** Sends a Socket Mode envelope; resolves with the app's ack payload. */
    sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): { envelopeId: string; acked: Promise<unknown> } {
      const envelopeId = `env-${(envelopeCounter += 1)}`;
      const acked = new Promise<unknown>((resolve) => ackWaiters.set(envelopeId, resolve));
      const envelope = { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' };
      for (const ws of sockets) ws.send(JSON.stringify(envelope));
      return { envelopeId, acked };
    },
    waitFor,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
