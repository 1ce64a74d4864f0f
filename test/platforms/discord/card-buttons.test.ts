import { afterEach, describe, expect, it } from 'vitest';
import { aPaper } from '../../support/builders.ts';
import { buttonIds, isEphemeral, startHarness, textOf, type Harness } from './discord-harness.ts';
import { buttonPress, chatInput, member } from './interaction-payloads.ts';

// Save / Similar / Remove under paper cards, end to end through the fake gateway. A new harness
// (a new client, the same database) stands for a restart: the buttons keep working.

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

const REPLY = 4;

async function harness(): Promise<Harness> {
  const h = await startHarness({ register: false, env: { COMMAND_RATE_LIMIT: '1000' } });
  open.push(h);
  return h;
}

describe('card buttons on Discord', () => {
  it('today cards carry Save and Similar; Save twice saves once; saved lists it privately with Remove', async () => {
    const h = await harness();
    await h.deps.store.upsertPapers(
      '2026-09-01',
      [
        aPaper({ arxivId: '2609.00001', title: 'Video diffusion transformers', abstract: 'Diffusion transformers generate video frames.', upvotes: 9 }),
        aPaper({ arxivId: '2609.00002', title: 'Diffusion transformers for long video', abstract: 'Long video with diffusion transformers.', upvotes: 5 }),
        aPaper({ arxivId: '2609.00003', title: 'Reward models for reasoning', abstract: 'Reward modeling for math reasoning.', upvotes: 3 }),
      ],
      h.deps.clock.now(),
    );
    const app = h.fake.applicationId;
    const reader = member('400000000000000021');
    const today = await h.interact(chatInput(app, reader, 'today', { limit: 5 }));
    const ids = buttonIds(today.data);
    expect(ids).toEqual(expect.arrayContaining(['card:save:2609.00001', 'card:similar:2609.00001', 'card:save:2609.00003']));
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);

    const saved = await h.interact(buttonPress(app, reader, 'card:save:2609.00001'));
    expect(saved.type).toBe(REPLY);
    expect(isEphemeral(saved.data)).toBe(true);
    expect(textOf(saved.data)).toContain('Saved “Video diffusion transformers”');
    const again = await h.interact(buttonPress(app, reader, 'card:save:2609.00001'));
    expect(textOf(again.data)).toContain('already on your reading list');
    expect((await h.deps.store.listSavedPapers({ platform: 'discord', id: reader.userId }, { limit: 10, offset: 0 })).total).toBe(1);

    const similar = await h.interact(buttonPress(app, reader, 'card:similar:2609.00001'));
    expect(isEphemeral(similar.data)).toBe(true);
    expect(textOf(similar.data)).toContain('Papers like 2609.00001');
    expect(textOf(similar.data)).toContain('Diffusion transformers for long video');

    const list = await h.interact(chatInput(app, reader, 'saved', {}));
    expect(isEphemeral(list.data)).toBe(true);
    expect(textOf(list.data)).toContain('Your reading list (1)');
    expect(buttonIds(list.data)).toEqual(['card:remove:2609.00001', 'card:similar:2609.00001']);
  });

  it('a Remove button from before a restart still works', async () => {
    const first = await harness();
    const { inserted } = await first.deps.store.upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00009', title: 'Saved before the restart' })], first.deps.clock.now());
    const reader = member('400000000000000022');
    await first.deps.store.savePaper({ platform: 'discord', id: reader.userId }, inserted[0] ?? -1, 1);
    const restarted = await startHarness({ register: false, env: { COMMAND_RATE_LIMIT: '1000' }, store: first.deps.store });
    open.push(restarted);
    const removed = await restarted.interact(buttonPress(restarted.fake.applicationId, reader, 'card:remove:2609.00009'));
    expect(textOf(removed.data)).toContain('Removed “Saved before the restart”');
    expect((await first.deps.store.listSavedPapers({ platform: 'discord', id: reader.userId }, { limit: 10, offset: 0 })).total).toBe(0);
  });
});
