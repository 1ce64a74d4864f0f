import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HOME_REMOVE_ACTION } from '../../../src/platforms/slack/render-home.ts';
import { startSlack } from '../../../src/platforms/slack/start-slack.ts';
import { addWatch } from '../../../src/watches/add-watch.ts';
import { removeWatch } from '../../../src/watches/remove-watch.ts';
import { aPaper } from '../../support/builders.ts';
import { startHarness, type Harness, type Mode } from './slack-harness.ts';
import { aCard, aDigest, allStrings, appHomeOpened, buttonClick, formBody, homeClick, postSigned } from './slack-test-kit.ts';

const Button = z.looseObject({ type: z.literal('button'), action_id: z.string(), value: z.string() });
const ActionsBlock = z.looseObject({ type: z.literal('actions'), elements: z.array(z.unknown()) });
const HomeView = z.looseObject({ type: z.literal('home'), blocks: z.array(z.unknown()).max(100) });

/** The paging buttons (the cards' Save and Similar buttons aside: cardButtons). */
function buttons(blocks: unknown[]) {
  return allButtons(blocks).filter((button) => button.action_id.startsWith('paperboy_page_'));
}

function cardButtons(blocks: unknown[]) {
  return allButtons(blocks).filter((button) => button.action_id.startsWith('paperboy_card_'));
}

function allButtons(blocks: unknown[]) {
  return blocks.flatMap((block) => {
    const actions = ActionsBlock.safeParse(block);
    return actions.success ? actions.data.elements.flatMap((e) => (Button.safeParse(e).success ? [Button.parse(e)] : [])) : [];
  });
}

describe.each<Mode>(['http', 'socket'])('interactions over %s', (mode) => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness(mode, { env: { COMMAND_RATE_LIMIT: '1000' } });
  });

  afterEach(async () => {
    await h.close();
  });

  it('paging buttons replace the list in place; another user gets a private refusal instead', async () => {
    const papers = Array.from({ length: 5 }, (_, i) => aPaper({ arxivId: `2609.1000${i}`, title: `Paper ${i}`, upvotes: 100 - i }));
    await h.deps.store.upsertPapers('2026-09-01', papers, h.deps.clock.now());
    const first = await h.command('today limit=2');
    expect(first.all).toContain('Paper 0');
    const [next] = buttons(first.blocks);
    if (!next) throw new Error('no Next button');
    expect(next.action_id).toBe('paperboy_page_next');

    const page2 = h.fake.newResponseUrl();
    await h.interact(buttonClick({ actionId: next.action_id, value: next.value, responseUrl: page2.url }));
    const second = await h.reply(page2.id);
    expect(second.replaceOriginal).toBe(true);
    expect(second.all).toContain('Paper 2');
    expect(second.all).not.toContain('Paper 0');
    expect(buttons(second.blocks).map((b) => b.action_id)).toEqual(['paperboy_page_prev', 'paperboy_page_next']);

    const stranger = h.fake.newResponseUrl();
    await h.interact(buttonClick({ actionId: next.action_id, value: next.value, responseUrl: stranger.url, user: 'U0BOB' }));
    const refused = await h.reply(stranger.id);
    expect(refused.replaceOriginal).toBe(false);
    expect(refused.responseType).toBe('ephemeral');
    expect(refused.all).toContain("someone else's list");
  });

  it('card buttons: Save twice saves once, Similar answers privately, Remove works after a restart', async () => {
    await h.deps.store.upsertPapers(
      '2026-09-01',
      [
        aPaper({ arxivId: '2609.30001', title: 'Sparse autoencoders for interpretability', abstract: 'Sparse autoencoders find features.', upvotes: 9 }),
        aPaper({ arxivId: '2609.30002', title: 'Scaling sparse autoencoders', abstract: 'Sparse autoencoders at scale.', upvotes: 5 }),
      ],
      h.deps.clock.now(),
    );
    const list = await h.command('today');
    const cards = cardButtons(list.blocks);
    expect(cards.map((b) => [b.action_id, b.value])).toEqual([
      ['paperboy_card_save_0', '2609.30001'],
      ['paperboy_card_similar_0', '2609.30001'],
      ['paperboy_card_save_1', '2609.30002'],
      ['paperboy_card_similar_1', '2609.30002'],
    ]);
    for (const attempt of ['Saved “Sparse autoencoders', 'already on your reading list']) {
      const reply = h.fake.newResponseUrl();
      await h.interact(buttonClick({ actionId: 'paperboy_card_save_0', value: '2609.30001', responseUrl: reply.url }));
      const answer = await h.reply(reply.id);
      expect(answer.responseType).toBe('ephemeral');
      expect(answer.replaceOriginal).toBe(false);
      expect(answer.all).toContain(attempt);
    }
    const similar = h.fake.newResponseUrl();
    await h.interact(buttonClick({ actionId: 'paperboy_card_similar_0', value: '2609.30001', responseUrl: similar.url }));
    const like = await h.reply(similar.id);
    expect(like.responseType).toBe('ephemeral');
    expect(like.all).toContain('Scaling sparse autoencoders');

    const saved = await h.command('saved');
    expect(cardButtons(saved.blocks).map((b) => b.action_id)).toEqual(['paperboy_card_remove_0', 'paperboy_card_similar_0']);
    await h.slack.stop();
    const restarted = await startSlack(h.deps, { host: '127.0.0.1' });
    try {
      const removed = h.fake.newResponseUrl();
      const click = buttonClick({ actionId: 'paperboy_card_remove_0', value: '2609.30001', responseUrl: removed.url });
      if (mode === 'socket') await h.fake.sendEnvelope('interactive', click).acked;
      else await postSigned(`http://127.0.0.1:${restarted.port ?? 0}/slack/events`, formBody({ payload: JSON.stringify(click) }), 'application/x-www-form-urlencoded');
      expect((await h.reply(removed.id)).all).toContain('Removed “Sparse autoencoders');
    } finally {
      await restarted.stop();
    }
  });

  it('a page button still works after the bot restarted (the cursor lives in the database)', async () => {
    const papers = Array.from({ length: 4 }, (_, i) => aPaper({ arxivId: `2609.2000${i}`, title: `Restart paper ${i}`, upvotes: 100 - i }));
    await h.deps.store.upsertPapers('2026-09-01', papers, h.deps.clock.now());
    const [next] = buttons((await h.command('today limit=2')).blocks);
    if (!next) throw new Error('no Next button');
    await h.slack.stop();
    const restarted = await startSlack(h.deps, { host: '127.0.0.1' });
    try {
      const response = h.fake.newResponseUrl();
      const click = buttonClick({ actionId: next.action_id, value: next.value, responseUrl: response.url });
      if (mode === 'socket') await h.fake.sendEnvelope('interactive', click).acked;
      else await postSigned(`http://127.0.0.1:${restarted.port ?? 0}/slack/events`, formBody({ payload: JSON.stringify(click) }), 'application/x-www-form-urlencoded');
      const page = await h.reply(response.id);
      expect(page.replaceOriginal).toBe(true);
      expect(page.all).toContain('Restart paper 2');
    } finally {
      await restarted.stop();
    }
  });

  it('a forged page button value gets a private note, not an error', async () => {
    const response = h.fake.newResponseUrl();
    await h.interact(buttonClick({ actionId: 'paperboy_page_next', value: '{"c":1}', responseUrl: response.url }));
    const reply = await h.reply(response.id);
    expect(reply.responseType).toBe('ephemeral');
    expect(reply.all).toContain('Run the command again');
  });

  it('App Home shows the watches with Remove buttons and recent alerts; Remove deletes and re-publishes', async () => {
    const user = { platform: 'slack' as const, id: 'U0ALICE' };
    // A watch added and removed first: ids no longer equal list positions (the button sends the id).
    await addWatch(h.deps, user, 'temporary');
    await removeWatch(h.deps, user, 'temporary');
    await addWatch(h.deps, user, 'protein folding -survey');
    await addWatch(h.deps, user, '"state space"');
    const now = h.deps.clock.now();
    const alert = await h.deps.store.enqueue({
      platform: 'slack',
      targetKind: 'user',
      targetId: 'U0ALICE',
      kind: 'alert',
      idempotencyKey: 'alert:slack:U0ALICE:1',
      message: aDigest([aCard({ title: 'Alerted <!channel> paper', match: { watch: 'protein folding -survey', terms: ['diffusion'] } })], { kind: 'alert', visibility: 'private', title: 'New paper for your watch' }),
      now,
    });
    await h.deps.store.markSent(alert.id, 'DU0ALICE:1.1', now);

    await h.event(appHomeOpened('U0ALICE'));
    const view = HomeView.parse(await h.fake.waitFor(() => h.fake.views.get('U0ALICE'), 'views.publish'));
    const text = allStrings(view.blocks).join('\n');
    expect(text).toContain('protein folding -survey');
    expect(text).toContain('"state space"');
    expect(text).toContain('Alerted &lt;!channel&gt; paper');
    const removes = allStrings(view.blocks).filter((s) => s === HOME_REMOVE_ACTION);
    expect(removes).toHaveLength(2);

    const [first] = await h.deps.store.listWatches(user);
    if (!first) throw new Error('no watch');
    expect(first.id).toBe(2);
    const before = h.fake.calls('views.publish').length;
    await h.interact(homeClick({ actionId: HOME_REMOVE_ACTION, value: String(first.id), user: 'U0ALICE' }));
    await h.fake.waitFor(() => h.fake.calls('views.publish').length > before, 'the second views.publish');
    expect((await h.deps.store.listWatches(user)).map((w) => w.query)).toEqual(['"state space"']);
    const updated = allStrings(HomeView.parse(h.fake.views.get('U0ALICE')).blocks).join('\n');
    expect(updated).not.toContain('protein folding -survey`');
    expect(updated).toContain('"state space"');
  });
});
