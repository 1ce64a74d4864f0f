import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { aPaper } from '../../support/builders.ts';
import { startHarness, type Harness, type Mode } from './slack-harness.ts';
import { formBody, postSigned, signature, SIGNING_SECRET, slashCommand } from './slack-test-kit.ts';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('HTTP receiver: request signatures', () => {
  async function post(options: Parameters<typeof postSigned>[3]) {
    if (!h) throw new Error('no harness');
    const response = h.fake.newResponseUrl();
    const res = await postSigned(h.eventsUrl, formBody(slashCommand({ text: 'help', responseUrl: response.url })), 'application/x-www-form-urlencoded', options);
    await res.text();
    return { status: res.status, responseId: response.id };
  }

  it('answers 200 to a correctly signed slash command, and replies through the response_url', async () => {
    h = await startHarness('http');
    const { status, responseId } = await post({});
    expect(status).toBe(200);
    expect((await h.reply(responseId)).all).toContain('search');
  });

  it.each([
    ['a wrong signature', { secret: `${SIGNING_SECRET}-not` }],
    ['no signature', { signature: null }],
    ['a timestamp older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('refuses %s with 401 and runs nothing', async (_name, options) => {
    h = await startHarness('http');
    const { status, responseId } = await post(options);
    expect(status).toBe(401);
    // Give a wrongly accepted command the time to answer, then check it did not.
    await post({}).then(({ responseId: next }) => h?.reply(next));
    expect(h.fake.responses(responseId)).toEqual([]);
  });
});

describe.each<Mode>(['http', 'socket'])('acknowledging within 3 s over %s', (mode) => {
  it('acks before a slow users.info (admin check) answers, then replies', async () => {
    h = await startHarness(mode, { env: { COMMAND_RATE_LIMIT: '1000' } });
    h.fake.setUser('U0BOSS', { is_admin: true });
    const held = h.fake.hold('users.info');
    const { status, responseId } = await h.sendCommand('digest set time=08:00', { user: 'U0BOSS' });
    // The ack is in while users.info is still pending: nothing has been answered yet.
    expect(status).toBe(200);
    expect(h.fake.calls('users.info')).toEqual([]);
    expect(h.fake.responses(responseId)).toEqual([]);
    held.release();
    expect((await h.reply(responseId)).all).toContain('Daily digest saved');
  });
});

describe('acknowledging a slow search', () => {
  // SQLite is synchronous, so a slow full-text query blocks this thread. To see whether the ack
  // left before the query finished, the request is sent from a worker thread, which keeps running
  // while the query blocks and flags the HTTP status it got; the query waits for that flag.
  const client = `
    const { workerData } = require('node:worker_threads');
    fetch(workerData.url, { method: 'POST', headers: workerData.headers, body: workerData.body })
      .then((res) => res.status, () => -1)
      .then((status) => { Atomics.store(workerData.flag, 0, status); Atomics.notify(workerData.flag, 0); });
  `;

  it('acks before the query finishes, then replies with its results', async () => {
    h = await startHarness('http', { env: { COMMAND_RATE_LIMIT: '1000' } });
    await h.deps.store.upsertPapers('2026-09-01', [aPaper({ title: 'Diffusion for everything' })], h.deps.clock.now());
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const statusDuringQuery: number[] = [];
    const db = h.deps.db.$client;
    const prepare = db.prepare.bind(db);
    db.prepare = ((source: string) => {
      if (source.includes('papers_fts') && statusDuringQuery.length === 0) {
        // Blocks like a heavy query; returns early once the client got its answer.
        Atomics.wait(flag, 0, 0, 3_000);
        statusDuringQuery.push(Atomics.load(flag, 0));
      }
      return prepare(source);
    }) as typeof db.prepare;

    const response = h.fake.newResponseUrl();
    const body = formBody(slashCommand({ text: 'search diffusion', responseUrl: response.url }));
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature(SIGNING_SECRET, timestamp, body) };
    const worker = new Worker(client, { eval: true, workerData: { url: h.eventsUrl, headers, body, flag } });
    try {
      expect((await h.reply(response.id)).all).toContain('Diffusion for everything');
      expect(statusDuringQuery).toEqual([200]);
    } finally {
      await worker.terminate();
    }
  });
});
