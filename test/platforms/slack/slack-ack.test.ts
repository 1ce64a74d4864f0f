import { afterEach, describe, expect, it } from 'vitest';
import { upsertPapers } from '../../../src/store/papers.ts';
import { aPaper } from '../../support/builders.ts';
import { startHarness, type Harness, type Mode } from './slack-harness.ts';
import { formBody, postSigned, SIGNING_SECRET, slashCommand } from './slack-test-kit.ts';

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

  it('acks before a slow search query finishes', async () => {
    h = await startHarness(mode, { env: { COMMAND_RATE_LIMIT: '1000' } });
    upsertPapers(h.deps.db, '2026-09-01', [aPaper({ title: 'Diffusion for everything' })], h.deps.clock.now().getTime());
    // Make the full-text query itself slow: SQLite is synchronous, so this blocks like a heavy query would.
    const client = h.deps.db.$client;
    const prepare = client.prepare.bind(client);
    let slowQueries = 0;
    client.prepare = ((source: string) => {
      if (source.includes('papers_fts')) {
        slowQueries += 1;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
      }
      return prepare(source);
    }) as typeof client.prepare;
    const { status, responseId } = await h.sendCommand('search diffusion');
    expect(status).toBe(200);
    expect(h.fake.responses(responseId)).toEqual([]);
    expect((await h.reply(responseId)).all).toContain('Diffusion for everything');
    expect(slowQueries).toBeGreaterThan(0);
  });
});
