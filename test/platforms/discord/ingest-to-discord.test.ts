import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScheduler, type Scheduler } from '../../../src/scheduler.ts';
import { deliveries } from '../../../src/store/sqlite/schema.ts';
import { hfItem, startFakeHf, type FakeHf } from '../../support/fake-hf.ts';
import { startHarness, textOf, type Harness } from './discord-harness.ts';
import { admin, CHANNEL_ID, chatInput, member } from './interaction-payloads.ts';

// The whole path on Discord: slash commands set up a digest and a watch, an ingest from the fake
// Hugging Face finds new papers, and the outbox posts the channel digest and the DM alert to the
// fake Discord, through the real discord.js client's REST.

const open: Array<{ close(): Promise<void> } | Scheduler> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await ('close' in thing ? thing.close() : thing.stop());
});

const Sent = z.object({
  nonce: z.string().max(25),
  enforce_nonce: z.literal(true),
  allowed_mentions: z.object({ parse: z.array(z.string()).length(0) }),
  embeds: z.array(
    z.object({
      title: z.string().optional(),
      description: z.string().optional(),
      fields: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
      footer: z.object({ text: z.string() }).optional(),
    }),
  ),
});

describe('ingest → Discord', () => {
  it('posts the channel digest and DMs the watcher after an ingest, once', async () => {
    const hf: FakeHf = await startFakeHf();
    open.push(hf);
    const h: Harness = await startHarness({ register: false, now: '2026-09-02T09:30:00Z', env: { HF_BASE_URL: hf.url, COMMAND_RATE_LIMIT: '1000' } });
    open.push(h);
    const app = h.fake.applicationId;
    const watcher = member('400000000000000077');

    // A new digest starts with the next due time (10:00 UTC), never with old days.
    expect(textOf((await h.interact(chatInput(app, admin(), 'digest set', { time: '10:00', timezone: 'UTC', top: 3 }))).data)).toContain('Daily digest saved');
    expect(textOf((await h.interact(chatInput(app, watcher, 'watch', { query: 'diffusion' }))).data)).toContain('diffusion');
    h.deps.clock.set('2026-09-02T10:05:00Z');

    hf.setDay('2026-09-01', [
      hfItem({ id: '2609.00101', title: 'Diffusion transformers at scale', upvotes: 40 }),
      hfItem({ id: '2609.00102', title: '@everyone free GPUs <@123>', upvotes: 30 }),
      hfItem({ id: '2609.00103', title: 'Agents that plan', upvotes: 20 }),
    ]);
    const scheduler = createScheduler(h.deps, { senders: [h.discord.sender], platforms: ['discord'], ingest: { fetch: { retries: 0, sleep: async () => {} } } });
    open.push(scheduler);
    await scheduler.runIngestNow(['2026-09-01', '2026-09-02']);
    await scheduler.worker.runOnce();

    const channelPosts = h.fake.messages.filter((m) => m.channelId === CHANNEL_ID);
    expect(channelPosts).toHaveLength(1);
    const digest = Sent.parse(channelPosts[0]?.body);
    const digestText = textOf({ embeds: digest.embeds, components: [] });
    expect(digestText).toContain('Daily papers');
    expect(digestText).toContain('Diffusion transformers at scale');
    expect(digestText).toContain('Agents that plan');
    // The injected title is shown, escaped, and pings nobody.
    expect(digestText).toContain('\\@everyone free GPUs \\<\\@123\\>');

    const opened = h.fake.requests.filter((r) => r.method === 'POST' && r.path === '/users/@me/channels');
    expect(opened.map((r) => r.body)).toEqual([{ recipient_id: watcher.userId }]);
    const dms = h.fake.messages.filter((m) => m.channelId === `9${watcher.userId}`);
    expect(dms).toHaveLength(1);
    const alertText = textOf({ embeds: Sent.parse(dms[0]?.body).embeds, components: [] });
    expect(alertText).toContain('Diffusion transformers at scale');
    expect(alertText).not.toContain('Agents that plan');

    const rows = h.deps.db.select().from(deliveries).all();
    expect(rows.map((row) => [row.kind, row.state])).toEqual(expect.arrayContaining([['digest', 'sent'], ['alert', 'sent']]));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(h.fake.messages.map((m) => m.id)).toContain(row.messageId);

    // The next ingest finds nothing new: nothing more is posted.
    await scheduler.runIngestNow(['2026-09-01', '2026-09-02']);
    await scheduler.worker.runOnce();
    expect(h.fake.messages).toHaveLength(2);
  });
});
