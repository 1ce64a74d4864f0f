import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aPaper } from '../../support/builders.ts';
import { buttonIds, isEphemeral, MessageData, startHarness, textOf, type Harness } from './discord-harness.ts';
import { admin, autocompleteRequest, buttonPress, CHANNEL_ID, chatInput, dm, GUILD_ID, member } from './interaction-payloads.ts';

// End to end through the gateway: the fake dispatches INTERACTION_CREATE, the real discord.js
// client and dispatcher answer, and the fake records what Discord would have received.

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

// Discord interaction callback types.
const REPLY = 4;
const DEFERRED_REPLY = 5;
const UPDATE_MESSAGE = 7;
const AUTOCOMPLETE_RESULT = 8;

async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness({ register: false, ...options, env: { COMMAND_RATE_LIMIT: '1000', ...options.env } });
  open.push(h);
  return h;
}

async function seed(h: Harness, titles: string[], day = '2026-09-01'): Promise<void> {
  await h.deps.store.upsertPapers(
    day,
    titles.map((title, i) => aPaper({ title, upvotes: 100 - i, abstract: `${title}. We study it carefully.` })),
    h.deps.clock.now(),
  );
}

describe('/papers today and search', () => {
  it('today in a server channel: a public reply with the day and its papers, mentions off', async () => {
    const h = await harness();
    await seed(h, ['Diffusion models for video', 'State space models', 'A survey of agents']);
    const app = h.fake.applicationId;
    const reply = await h.interact(chatInput(app, member(), 'today', { limit: 5 }));
    expect(reply.type).toBe(REPLY);
    expect(isEphemeral(reply.data)).toBe(false);
    expect(reply.data?.allowed_mentions).toEqual({ parse: [] });
    const text = textOf(reply.data);
    expect(text).toContain('Top papers for 2026-09-01 (3)');
    expect(text).toContain('1. Diffusion models for video');
    expect(text).toContain('3. A survey of agents');
  });

  it('search pages with buttons: Next updates the message, others and stale cursors get a private note', async () => {
    const h = await harness();
    await seed(h, Array.from({ length: 7 }, (_, i) => `Diffusion paper number ${i + 1}`));
    const app = h.fake.applicationId;
    const owner = member('400000000000000011');
    const first = await h.interact(chatInput(app, owner, 'search', { query: 'diffusion', limit: 3 }));
    expect(first.type).toBe(REPLY);
    expect(textOf(first.data)).toContain('(7 papers of 7 searched)');
    // The paging buttons (the cards' Save and Similar buttons aside).
    const ids = buttonIds(first.data).filter((id) => id.startsWith('pg:'));
    expect(ids).toHaveLength(3);
    const next = ids[2] ?? '';
    expect(next).toMatch(/^pg:[A-Za-z0-9_-]+:1$/);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);

    const second = await h.interact(buttonPress(app, owner, next));
    expect(second.type).toBe(UPDATE_MESSAGE);
    expect(textOf(second.data)).toMatch(/^4\. /m);
    expect(textOf(second.data)).not.toMatch(/^1\. /m);
    expect(buttonIds(second.data).filter((id) => id.startsWith('pg:')).map((id) => id.split(':')[2])).toEqual(['0', 'x2', '2']);
    expect(second.data?.allowed_mentions).toEqual({ parse: [] });

    const stranger = await h.interact(buttonPress(app, member('400000000000000012'), next));
    expect(stranger.type).toBe(REPLY);
    expect(isEphemeral(stranger.data)).toBe(true);
    expect(textOf(stranger.data)).toContain("someone else's list");

    const stale = await h.interact(buttonPress(app, owner, 'pg:AAAAAAAAAAAA:1'));
    expect(stale.type).toBe(REPLY);
    expect(isEphemeral(stale.data)).toBe(true);
    expect(textOf(stale.data)).toContain('expired');
  });

  it('paper autocomplete offers at most 25 recent papers', async () => {
    const h = await harness();
    await seed(h, Array.from({ length: 30 }, (_, i) => `Paper ${i}`));
    const result = await h.interact(autocompleteRequest(h.fake.applicationId, member(), 'paper', 'id', { id: '' }));
    expect(result.type).toBe(AUTOCOMPLETE_RESULT);
    const choices = result.data?.choices ?? [];
    expect(choices.length).toBe(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(String(choice.value)).toMatch(/^\d{4}\.\d{5}$/);
    }
  });
});

describe('/papers watch, watches, unwatch', () => {
  it('keeps personal watches private and completes unwatch from the user’s own watches', async () => {
    const h = await harness();
    await seed(h, ['Diffusion for audio']);
    const app = h.fake.applicationId;
    const ada = member('400000000000000021');
    const added = await h.interact(chatInput(app, ada, 'watch', { query: 'diffusion -survey' }));
    expect(added.type).toBe(REPLY);
    expect(isEphemeral(added.data)).toBe(true);
    expect(textOf(added.data)).toContain('diffusion -survey');
    await h.interact(chatInput(app, ada, 'watch', { query: '"state space"' }));
    // Another user's watch must not show up in Ada's completions.
    await h.interact(chatInput(app, member('400000000000000022'), 'watch', { query: 'state of the art' }));

    const list = await h.interact(chatInput(app, ada, 'watches'));
    expect(isEphemeral(list.data)).toBe(true);
    expect(textOf(list.data)).toContain('diffusion -survey');
    expect(textOf(list.data)).toContain('state space');

    const completion = await h.interact(autocompleteRequest(app, ada, 'unwatch', 'watch', { watch: 'state' }));
    expect(completion.type).toBe(AUTOCOMPLETE_RESULT);
    // The value is the query itself: it names this watch even if the list changes before sending.
    expect(completion.data?.choices).toEqual([{ name: '2. "state space"', value: '"state space"' }]);

    const removed = await h.interact(chatInput(app, ada, 'unwatch', { watch: completion.data?.choices?.[0]?.value ?? '' }));
    expect(isEphemeral(removed.data)).toBe(true);
    expect(textOf(removed.data)).toContain('Removed the watch');
    const after = await h.interact(chatInput(app, ada, 'watches'));
    expect(textOf(after.data)).not.toContain('state space');
    expect(textOf(after.data)).toContain('diffusion -survey');
  });
});

describe('/papers digest: Manage Server only', () => {
  it('an admin sets the channel digest; a member without Manage Server is refused privately', async () => {
    const h = await harness();
    const app = h.fake.applicationId;
    const saved = await h.interact(chatInput(app, admin(), 'digest set', { time: '08:00', timezone: 'Europe/Berlin', top: 3 }));
    expect(saved.type).toBe(REPLY);
    expect(isEphemeral(saved.data)).toBe(false);
    expect(textOf(saved.data)).toContain('Daily digest saved');
    const digest = await h.deps.store.getDigest('discord', CHANNEL_ID);
    expect(digest).toMatchObject({ time: '08:00', timezone: 'Europe/Berlin', top: 3, workspaceId: GUILD_ID });

    const refused = await h.interact(chatInput(app, member(), 'digest set', { time: '23:00' }));
    expect(refused.type).toBe(REPLY);
    expect(isEphemeral(refused.data)).toBe(true);
    expect(textOf(refused.data)).toContain('Only members with Manage Server');
    expect((await h.deps.store.getDigest('discord', CHANNEL_ID))?.time).toBe('08:00');

    // digest off too; and in a channel without a digest, nothing is created.
    const off = await h.interact(chatInput(app, member(), 'digest off'));
    expect(textOf(off.data)).toContain('Only members with Manage Server');
    expect((await h.deps.store.getDigest('discord', CHANNEL_ID))?.enabled).toBe(true);
    const elsewhere = await h.interact(chatInput(app, { kind: 'guild', userId: '400000000000000031', permissions: PermissionFlagsBits.SendMessages, channelId: '300000000000000099' }, 'digest set', {}));
    expect(isEphemeral(elsewhere.data)).toBe(true);
    expect(await h.deps.store.getDigest('discord', '300000000000000099')).toBeUndefined();
  });

  it('Administrator counts as Manage Server; DMs never do', async () => {
    const h = await harness();
    const app = h.fake.applicationId;
    const administrator = { kind: 'guild' as const, userId: '400000000000000041', permissions: PermissionFlagsBits.Administrator };
    const shown = await h.interact(chatInput(app, administrator, 'digest set', { top: 4 }));
    expect(textOf(shown.data)).toContain('Daily digest saved');
    const inDm = await h.interact(chatInput(app, dm(), 'digest set', { top: 4 }));
    expect(isEphemeral(inDm.data)).toBe(true);
    expect(textOf(inDm.data)).toContain('Only members with Manage Server');
  });

  it('completes time zones for digest set', async () => {
    const h = await harness();
    const result = await h.interact(autocompleteRequest(h.fake.applicationId, admin(), 'digest set', 'timezone', { timezone: 'berl' }));
    expect(result.data?.choices).toContainEqual({ name: 'Europe/Berlin', value: 'Europe/Berlin' });
  });
});

describe('DMs, deferral and failures', () => {
  it('answers in a DM (user, no member): help is private, today is posted', async () => {
    const h = await harness();
    await seed(h, ['A paper in a DM']);
    const app = h.fake.applicationId;
    const help = await h.interact(chatInput(app, dm(), 'help'));
    expect(help.type).toBe(REPLY);
    expect(isEphemeral(help.data)).toBe(true);
    expect(textOf(help.data)).toContain('search');
    const today = await h.interact(chatInput(app, dm(), 'today'));
    expect(isEphemeral(today.data)).toBe(false);
    expect(textOf(today.data)).toContain('A paper in a DM');
  });

  it('defers, then edits the original (URL-encoded @original); a private answer to a public deferral is a follow-up', async () => {
    const h = await harness({ deferAfterMs: 0 });
    await seed(h, ['Deferred paper']);
    const app = h.fake.applicationId;
    const payload = chatInput(app, member(), 'today');
    const deferred = await h.interact(payload);
    expect(deferred.type).toBe(DEFERRED_REPLY);
    expect(isEphemeral(deferred.data)).toBe(false);
    const edit = await h.webhook(payload, 'PATCH', true);
    expect(edit.rawPath).toContain('%40original');
    const edited = MessageData.parse(edit.body);
    expect(textOf(edited)).toContain('Deferred paper');
    expect(edited.allowed_mentions).toEqual({ parse: [] });

    const personal = chatInput(app, member(), 'watches');
    const personalDeferral = await h.interact(personal);
    expect(isEphemeral(personalDeferral.data)).toBe(true);
    await h.webhook(personal, 'PATCH', true);

    const miss = chatInput(app, member(), 'search', { query: 'nothingmatchesthis' });
    expect(isEphemeral((await h.interact(miss)).data)).toBe(false);
    const followUp = await h.webhook(miss, 'POST', false);
    expect(isEphemeral(MessageData.parse(followUp.body))).toBe(true);
    expect(textOf(MessageData.parse(followUp.body))).toContain('No stored papers match');
    await h.webhook(miss, 'DELETE', true);
  });

  it('survives Discord refusing a response, and client errors, and keeps answering', async () => {
    const h = await harness();
    const app = h.fake.applicationId;
    h.fake.fail('POST', /\/callback$/, { kind: 'status', status: 404, code: 10062, message: 'Unknown interaction' });
    await h.interact(chatInput(app, member(), 'help'));
    h.discord.client.emit('error', new Error('socket trouble'));
    const later = await h.interact(chatInput(app, member(), 'help'));
    expect(later.type).toBe(REPLY);
    await vi.waitFor(() => {
      const messages = h.deps.logLines().map((line) => line.msg);
      expect(messages).toContain('could not answer an interaction');
      expect(messages).toContain('discord client error');
    });
  });
});
