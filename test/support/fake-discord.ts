import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';

// A local stand-in for Discord: the REST routes paperboy uses under /api/v10 and a gateway that
// speaks just enough (HELLO, IDENTIFY → READY, heartbeats, RESUME, INTERACTION_CREATE) for the
// real discord.js client to log in and receive interactions. `/gateway/bot` recommends
// `shardCount` shards; each session holds the shard its IDENTIFY names (`shard: [id, count]`),
// and a dispatch can target one shard, as Discord routes a guild's events to its shard. Every REST request is recorded so
// tests assert on what Discord would have received. Faults are queued per route.

export type RecordedRequest = {
  method: string;
  /** Decoded path without the `/api/v10` prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** The path as it arrived (discord.js URL-encodes `@original`). */
  rawPath: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** The JSON body, or a multipart request's `payload_json`. */
  body: unknown;
  /** A multipart request's files (`files[n]`), in order. */
  files: UploadedFile[];
};

export type UploadedFile = { field: string; name: string; contentType: string; text: string };

export type Fault =
  | { kind: 'status'; status: number; code?: number; message?: string }
  /** 429 with `Retry-After: seconds` (and Discord's JSON body). */
  | { kind: 'rate-limit'; retryAfter: number; global?: boolean }
  /** The connection is dropped before any answer. */
  | { kind: 'reset' };

type QueuedFault = { method: string; path: RegExp; fault: Fault; remaining: number };

export type CreatedMessage = { channelId: string; id: string; body: Record<string, unknown> };
/** A public thread started on a message: its id is the message's. */
export type StartedThread = { id: string; parentChannelId: string; name: string; autoArchiveDuration: unknown };

export type FakeDiscord = {
  /** REST base for discord.js (`rest.api`): without `/v10`. */
  apiUrl: string;
  applicationId: string;
  token: string;
  botUserId: string;
  requests: RecordedRequest[];
  /** Messages created with POST /channels/{id}/messages (not the nonce-deduplicated repeats). */
  messages: CreatedMessage[];
  /** Gateway IDENTIFY payloads received. */
  identifies: unknown[];
  /** Threads started with POST /channels/{id}/messages/{id}/threads. */
  threads: StartedThread[];
  /** Thread creation in this channel answers 403 Missing Permissions (50013), as without Create Public Threads. */
  forbidThreads(channelId: string): void;
  /** The message is deleted: threads on it 404 (10008 Unknown Message), replies to it 400 (50035). */
  deleteMessage(messageId: string): void;
  /** The thread is deleted: posting in it 404s (10003 Unknown Channel); Discord still refuses a new thread on its message (160004). */
  deleteThread(threadId: string): void;
  /** The shard count `/gateway/bot` recommends. */
  shardCount: number;
  /** Shard id → how many open gateway sessions hold it now (identified or resumed). */
  liveShards(): Map<number, number>;
  /** The next `times` (default 1) requests matching method + path get `fault`. */
  fail(method: string, path: RegExp, fault: Fault, times?: number): void;
  /**
   * Sends INTERACTION_CREATE to the sessions holding `shard` (every session when omitted);
   * returns how many sessions it went to.
   */
  dispatchInteraction(interaction: Record<string, unknown>, shard?: number): number;
  /** Sends any gateway dispatch (op 0), e.g. GUILD_CREATE when the bot is added to a server. */
  dispatchEvent(type: string, data: Record<string, unknown>): void;
  /** Resolves with the first recorded request (past or future) that matches. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves once a client has identified and got READY. */
  ready(): Promise<void>;
  close(): Promise<void>;
};

const JsonObject = z.record(z.string(), z.unknown());
const DmBody = z.object({ recipient_id: z.string() });
const GatewayFrame = z.object({ op: z.number(), d: z.unknown() });
const IdentifyShard = z.object({ shard: z.tuple([z.number().int(), z.number().int()]).optional() });
const Resume = z.object({ session_id: z.string() });

type FakeDiscordOptions = {
  applicationId?: string;
  token?: string;
  /** Shards `/gateway/bot` recommends (default 1). */
  shardCount?: number;
  /** An IDENTIFY with a smaller shard count is closed with 4011 (Sharding required), as for a bot in too many servers. */
  minShardCount?: number;
};

/**
 * A request body as Discord reads it: JSON, or multipart/form-data (uploads) with the JSON in a
 * `payload_json` field and each file in `files[n]` with a filename; an `attachments` entry of the
 * payload must name an uploaded file by its index. Anything else is refused as Discord does
 * (400, 50035 Invalid Form Body).
 */
async function readBody(req: IncomingMessage, raw: Buffer): Promise<({ ok: true } & { body: unknown; files: UploadedFile[] }) | { ok: false; problem: string }> {
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { ok: true, body: null, files: [] };
  if (type.includes('json')) return { ok: true, body: JSON.parse(raw.toString('utf8')), files: [] };
  if (!type.startsWith('multipart/form-data')) return { ok: true, body: null, files: [] };
  // The platform's own multipart parser (undici's), not a hand-rolled one.
  const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
  let body: unknown = null;
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (field === 'payload_json') {
      if (typeof value !== 'string') return { ok: false, problem: 'payload_json must be a text field' };
      body = JSON.parse(value);
      continue;
    }
    if (!/^files\[\d+\]$/.test(field) || typeof value === 'string') return { ok: false, problem: `unexpected form field ${field}` };
    if (!value.name) return { ok: false, problem: `${field} has no filename` };
    files.push({ field, name: value.name, contentType: value.type, text: await value.text() });
  }
  if (body === null) return { ok: false, problem: 'payload_json is missing' };
  const payload = JsonObject.safeParse(body);
  const data = payload.success ? (JsonObject.safeParse(payload.data.data).data ?? payload.data) : {};
  const attachments = Array.isArray(data.attachments) ? data.attachments : [];
  for (const attachment of attachments) {
    const id = JsonObject.safeParse(attachment).data?.id;
    if (!files.some((file) => file.field === `files[${String(id)}]`)) return { ok: false, problem: `attachments names files[${String(id)}], which was not uploaded` };
  }
  return { ok: true, body, files };
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? '100000000000000001';
  const token = options.token ?? 'fake-bot-token';
  const botUser = { id: '100000000000000002', username: 'paperboy', discriminator: '0', global_name: null, avatar: null, bot: true };
  const requests: RecordedRequest[] = [];
  const messages: CreatedMessage[] = [];
  const identifies: unknown[] = [];
  const threads: StartedThread[] = [];
  const noThreads = new Set<string>();
  const deletedMessages = new Set<string>();
  const deletedThreads = new Set<string>();
  const faults: QueuedFault[] = [];
  const byNonce = new Map<string, Record<string, unknown>>();
  const shardCount = options.shardCount ?? 1;
  /** Open sockets → the shard they hold (null until IDENTIFY or RESUME). */
  const sessions = new Map<WebSocket, number | null>();
  const shardOfSession = new Map<string, number>();
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  let snowflake = 200000000000000000n;
  let sequence = 0;
  let isReady = false;
  const nextId = () => String((snowflake += 1n));

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      readBody(req, Buffer.concat(chunks)).then(
        (parsed) => (parsed.ok ? handle(req, res, parsed) : send(res, 400, { message: `Invalid Form Body: ${parsed.problem}`, code: 50035 })),
        (err: unknown) => send(res, 400, { message: `Invalid Form Body: ${String(err)}`, code: 50035 }),
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/gateway')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => openSession(ws));
  });

  function messageObject(channelId: string, body: Record<string, unknown>): Record<string, unknown> {
    return {
      id: nextId(),
      channel_id: channelId,
      type: 0,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      components: Array.isArray(body.components) ? body.components : [],
      author: botUser,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      pinned: false,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      ...(body.nonce === undefined ? {} : { nonce: body.nonce }),
    };
  }

  function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    if (body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  function takeFault(method: string, path: string): Fault | null {
    const index = faults.findIndex((entry) => entry.method === method && entry.path.test(path));
    const entry = faults[index];
    if (!entry) return null;
    entry.remaining -= 1;
    if (entry.remaining <= 0) faults.splice(index, 1);
    return entry.fault;
  }

  function serveFault(res: ServerResponse, fault: Fault): void {
    if (fault.kind === 'reset') {
      res.socket?.destroy();
      return;
    }
    if (fault.kind === 'rate-limit') {
      const headers: Record<string, string> = { 'retry-after': String(fault.retryAfter), 'x-ratelimit-scope': fault.global ? 'global' : 'user' };
      if (fault.global) headers['x-ratelimit-global'] = 'true';
      send(res, 429, { message: 'You are being rate limited.', retry_after: fault.retryAfter, global: fault.global ?? false }, headers);
      return;
    }
    send(res, fault.status, { message: fault.message ?? `fake error ${fault.code ?? fault.status}`, code: fault.code ?? 0 });
  }

  function handle(req: IncomingMessage, res: ServerResponse, parsed: { body: unknown; files: UploadedFile[] }): void {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith('/api/v10/')) return send(res, 404, { message: '404: Not Found', code: 0 });
    const rawPath = url.pathname.slice('/api/v10'.length);
    const path = decodeURIComponent(rawPath);
    const request: RecordedRequest = { method, path, rawPath, query: url.searchParams, authorization: req.headers.authorization, ...parsed };
    requests.push(request);
    events.emit('request', request);

    const fault = takeFault(method, path);
    if (fault) return serveFault(res, fault);

    // Interaction callbacks and webhooks are authenticated by their token in the path.
    const tokenRoute = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!tokenRoute && req.headers.authorization !== `Bot ${token}`) return send(res, 401, { message: '401: Unauthorized', code: 0 });
    route(method, path, request.body, res);
  }

  function route(method: string, path: string, body: unknown, res: ServerResponse): void {
    const object = JsonObject.safeParse(body ?? {});
    const data = object.success ? object.data : {};
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      // max_concurrency 16 (as for large bots): a client holding several shards identifies them at
      // once instead of 5 s apart.
      return send(res, 200, { url: gatewayUrl, shards: shardCount, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 16 } });
    }
    if (method === 'GET' && path === '/users/@me') return send(res, 200, botUser);
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      const list = Array.isArray(body) ? body : [];
      return send(res, 200, list.map((command: unknown) => ({ ...JsonObject.parse(command), id: nextId(), application_id: applicationId, version: nextId() })));
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return send(res, 204);
    if ((match = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path))) {
      if (method === 'DELETE') return send(res, 204);
      if (method === 'PATCH' || method === 'GET') return send(res, 200, messageObject('0', data));
    }
    if (method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(path)) return send(res, 200, messageObject('0', data));
    if (method === 'POST' && path === '/users/@me/channels') {
      const dm = DmBody.safeParse(body);
      if (!dm.success) return send(res, 400, { message: 'Invalid Form Body', code: 50035 });
      return send(res, 200, { id: `9${dm.data.recipient_id}`, type: 1, recipients: [{ ...botUser, id: dm.data.recipient_id, username: 'member', bot: false }] });
    }
    if (method === 'POST' && (match = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path))) {
      const channelId = match[1] ?? '';
      const messageId = match[2] ?? '';
      if (noThreads.has(channelId)) return send(res, 403, { message: 'Missing Permissions', code: 50013 });
      if (deletedMessages.has(messageId) || !messages.some((m) => m.id === messageId && m.channelId === channelId)) return send(res, 404, { message: 'Unknown Message', code: 10008 });
      if (threads.some((t) => t.id === messageId)) return send(res, 400, { message: 'A thread has already been created for this message', code: 160004 });
      const thread: StartedThread = { id: messageId, parentChannelId: channelId, name: typeof data.name === 'string' ? data.name : '', autoArchiveDuration: data.auto_archive_duration };
      if (thread.name.length < 1 || thread.name.length > 100) return send(res, 400, { message: 'Invalid Form Body', code: 50035 });
      threads.push(thread);
      return send(res, 201, { id: messageId, type: 11, parent_id: channelId, name: thread.name, owner_id: botUser.id });
    }
    if (method === 'POST' && (match = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const channelId = match[1] ?? '';
      if (deletedThreads.has(channelId)) return send(res, 404, { message: 'Unknown Channel', code: 10003 });
      const reference = JsonObject.safeParse(data.message_reference);
      const repliedTo = reference.success && typeof reference.data.message_id === 'string' ? reference.data.message_id : null;
      if (repliedTo !== null && (deletedMessages.has(repliedTo) || !messages.some((m) => m.id === repliedTo && m.channelId === channelId))) {
        return send(res, 400, { message: 'Invalid Form Body', code: 50035, errors: { message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] } } });
      }
      const nonce = typeof data.nonce === 'string' || typeof data.nonce === 'number' ? String(data.nonce) : null;
      const key = nonce === null ? null : `${channelId}:${nonce}`;
      const earlier = key && data.enforce_nonce === true ? byNonce.get(key) : undefined;
      if (earlier) return send(res, 200, earlier);
      const created = messageObject(channelId, data);
      if (key) byNonce.set(key, created);
      messages.push({ channelId, id: String(created.id), body: data });
      return send(res, 200, created);
    }
    send(res, 404, { message: `fake Discord has no route ${method} ${path}`, code: 0 });
  }

  function gatewaySend(ws: WebSocket, frame: { op: number; d: unknown; s?: number | null; t?: string | null }): void {
    ws.send(JSON.stringify({ s: null, t: null, ...frame }));
  }

  function openSession(ws: WebSocket): void {
    sessions.set(ws, null);
    ws.on('close', () => sessions.delete(ws));
    gatewaySend(ws, { op: 10, d: { heartbeat_interval: 41_250 } });
    ws.on('message', (data) => {
      const frame = GatewayFrame.safeParse(JSON.parse(String(data)));
      if (!frame.success) return;
      const { op, d } = frame.data;
      if (op === 1) gatewaySend(ws, { op: 11, d: null });
      if (op === 2) {
        identifies.push(d);
        const [shardId, count] = IdentifyShard.parse(d).shard ?? [0, 1];
        // Discord closes with 4010 (Invalid shard) for an id outside [0, count).
        if (count < 1 || shardId < 0 || shardId >= count) return ws.close(4010, 'Invalid shard');
        if (count < (options.minShardCount ?? 1)) return ws.close(4011, 'Sharding required');
        sequence += 1;
        const sessionId = `session-${sequence}`;
        sessions.set(ws, shardId);
        shardOfSession.set(sessionId, shardId);
        gatewaySend(ws, {
          op: 0,
          t: 'READY',
          s: sequence,
          d: {
            v: 10,
            user: botUser,
            guilds: [],
            session_id: sessionId,
            resume_gateway_url: gatewayUrl,
            application: { id: applicationId, flags: 0 },
            shard: [shardId, count],
          },
        });
        isReady = true;
        events.emit('ready');
      }
      if (op === 6) {
        const resumed = Resume.safeParse(d);
        sessions.set(ws, resumed.success ? (shardOfSession.get(resumed.data.session_id) ?? null) : null);
        sequence += 1;
        gatewaySend(ws, { op: 0, t: 'RESUMED', s: sequence, d: {} });
      }
    });
  }

  return {
    apiUrl: `${base}/api`,
    applicationId,
    token,
    botUserId: botUser.id,
    requests,
    messages,
    identifies,
    threads,
    forbidThreads(channelId) {
      noThreads.add(channelId);
    },
    deleteMessage(messageId) {
      deletedMessages.add(messageId);
    },
    deleteThread(threadId) {
      deletedThreads.add(threadId);
    },
    shardCount,
    liveShards() {
      const live = new Map<number, number>();
      for (const shard of sessions.values()) if (shard !== null) live.set(shard, (live.get(shard) ?? 0) + 1);
      return live;
    },
    fail(method, path, fault, times = 1) {
      faults.push({ method, path, fault, remaining: times });
    },
    dispatchInteraction(interaction, shard) {
      sequence += 1;
      let sent = 0;
      for (const [ws, held] of sessions) {
        if (shard !== undefined && held !== shard) continue;
        gatewaySend(ws, { op: 0, t: 'INTERACTION_CREATE', s: sequence, d: interaction });
        sent += 1;
      }
      return sent;
    },
    dispatchEvent(type, data) {
      sequence += 1;
      for (const ws of sessions.keys()) gatewaySend(ws, { op: 0, t: type, s: sequence, d: data });
    },
    waitForRequest(predicate, timeoutMs = 5_000) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('request', listener);
          reject(new Error('fake Discord: no matching request arrived'));
        }, timeoutMs);
        const listener = (request: RecordedRequest) => {
          if (!predicate(request)) return;
          clearTimeout(timer);
          events.off('request', listener);
          resolve(request);
        };
        events.on('request', listener);
      });
    },
    ready() {
      if (isReady) return Promise.resolve();
      return new Promise((resolve) => events.once('ready', () => resolve()));
    },
    async close() {
      for (const ws of sessions.keys()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
