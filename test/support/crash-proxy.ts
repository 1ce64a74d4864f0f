import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sleep } from './wait.ts';

// An HTTP forwarder in front of a fake platform (fake-discord.ts, fake-slack.ts) that slows each
// request down, so a SIGKILL of the bot lands while a send is on the wire. WebSocket gateways
// are not proxied: both fakes hand out their own ws:// URL, which the client then dials directly.
//
// A request is forwarded as soon as its body has arrived, after `before` ms, even when the
// client has died meanwhile: the bytes reached the "server", as they would have in real life.
// The answer is held `after` ms before it goes back, which is the window where the platform has
// the message and the bot does not know yet.

export type ProxiedRequest = { method: string; path: string; at: number };

export type DelayProxy = {
  url: string;
  requests: ProxiedRequest[];
  /** Requests forwarded but not answered yet. */
  inFlight(): number;
  close(): Promise<void>;
};

export type DelayOptions = {
  /** ms before forwarding and before answering, per request (e.g. seeded random). */
  delay(request: { method: string; path: string }): { before: number; after: number };
};

export async function startDelayProxy(target: string, options: DelayOptions): Promise<DelayProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let pending = 0;

  async function forward(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    requests.push({ method, path, at: Date.now() });
    const { before, after } = options.delay({ method, path });
    pending += 1;
    try {
      if (before > 0) await sleep(before);
      const headers = { ...req.headers, host: upstream.host };
      const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
        const out = httpRequest({ host: upstream.hostname, port: upstream.port, method, path, headers }, (upstreamRes) => {
          const chunks: Buffer[] = [];
          upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
          upstreamRes.on('end', () => resolve({ status: upstreamRes.statusCode ?? 502, headers: upstreamRes.headers, body: Buffer.concat(chunks) }));
          upstreamRes.on('error', reject);
        });
        out.on('error', reject);
        out.end(body);
      });
      if (after > 0) await sleep(after);
      if (res.destroyed || res.socket?.destroyed) return;
      const { 'transfer-encoding': _chunked, 'content-length': _length, connection: _connection, ...rest } = answer.headers;
      res.writeHead(answer.status, { ...rest, 'content-length': String(answer.body.length) });
      res.end(answer.body);
    } catch {
      // The fake dropped the connection (a 'reset' fault): drop ours too.
      res.socket?.destroy();
    } finally {
      pending -= 1;
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void forward(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A killed client leaves its socket half-open; errors on it are expected.
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inFlight: () => pending,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
