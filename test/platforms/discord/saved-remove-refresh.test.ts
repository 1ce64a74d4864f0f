import { afterEach, describe, expect, it } from 'vitest';
import { aPaper } from '../../support/builders.ts';
import { buttonIds, isEphemeral, MessageData, startHarness, textOf, type Harness } from './discord-harness.ts';
import { buttonPress, chatInput, member } from './interaction-payloads.ts';

// Remove on a reading-list page replaces the page with itself minus the paper (UPDATE_MESSAGE),
// on the page it sat on; the last paper of the last page shows the new last page.

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

const UPDATE = 7;
const REPLY = 4;
const EPHEMERAL = 64;

async function fiveSaved(options: { deferAfterMs?: number } = {}) {
  const h = await startHarness({ register: false, env: { COMMAND_RATE_LIMIT: '1000' }, ...options });
  open.push(h);
  const reader = member('400000000000000041');
  const papers = Array.from({ length: 5 }, (_, i) => aPaper({ arxivId: `2609.0005${i}`, title: `Saved paper ${i}` }));
  const { inserted } = await h.deps.store.upsertPapers('2026-09-01', papers, h.deps.clock.now());
  // Saved oldest first: the list shows paper 4 first (newest saved).
  for (const [i, id] of inserted.entries()) await h.deps.store.savePaper({ platform: 'discord', id: reader.userId }, id, h.deps.clock.now() + i);
  return { h, reader };
}

const removeIds = (data: MessageData | undefined) => buttonIds(data).filter((id) => id.startsWith('card:remove:'));
const nextPage = (data: MessageData | undefined) => buttonIds(data).find((id) => /^pg:[^:]+:\d+$/.test(id) && !id.endsWith(':0'));

describe('Remove on the reading list (Discord)', () => {
  it('refreshes the page it sits on; removing the last paper of the last page shows the new last page', async () => {
    const { h, reader } = await fiveSaved();
    const app = h.fake.applicationId;
    const first = await h.interact(chatInput(app, reader, 'saved', { limit: 2 }));
    expect(textOf(first.data)).toContain('Your reading list (5)');
    const ids = removeIds(first.data);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^card:remove:2609\.00054:[A-Za-z0-9_-]{12}:0$/);

    // Page 3 of 3 holds paper 0 alone.
    const toLast = buttonIds(first.data).find((id) => id.startsWith('pg:') && id.endsWith(':1'));
    const page2 = await h.interact(buttonPress(app, reader, toLast ?? '', EPHEMERAL));
    const page3 = await h.interact(buttonPress(app, reader, nextPage(page2.data) ?? '', EPHEMERAL));
    expect(textOf(page3.data)).toContain('Saved paper 0');
    const [removeLast = ''] = removeIds(page3.data);
    expect(removeLast).toMatch(/:2$/);

    const after = await h.interact(buttonPress(app, reader, removeLast, EPHEMERAL));
    expect(after.type).toBe(UPDATE);
    const text = textOf(after.data);
    expect(text).toContain('Removed “Saved paper 0” (2609.00050) from your reading list.');
    expect(text).toContain('Your reading list (4)');
    // The new last page (2 of 2): papers 2 and 1.
    expect(text).toContain('Saved paper 2');
    expect(text).toContain('Saved paper 1');
    expect(removeIds(after.data).map((id) => id.split(':')[2])).toEqual(['2609.00052', '2609.00051']);
    expect(removeIds(after.data).every((id) => id.endsWith(':1'))).toBe(true);

    // A page in the middle stays that page.
    const again = await h.interact(buttonPress(app, reader, removeIds(after.data)[0] ?? '', EPHEMERAL));
    expect(textOf(again.data)).toContain('Your reading list (3)');
    expect(textOf(again.data)).toContain('Saved paper 1');
    expect((await h.deps.store.listSavedPapers({ platform: 'discord', id: reader.userId }, { limit: 10, offset: 0 })).total).toBe(3);
  });

  it('a one-page list refreshes too, an emptied list says so, and a deferred refresh edits the message', async () => {
    const { h, reader } = await fiveSaved({ deferAfterMs: 0 });
    for (const id of ['2609.00052', '2609.00053', '2609.00054']) {
      const paper = await h.deps.store.getPaperByArxivId(id);
      await h.deps.store.unsavePaper({ platform: 'discord', id: reader.userId }, paper?.id ?? -1);
    }
    const app = h.fake.applicationId;
    const press = buttonPress(app, reader, 'card:remove:2609.00051', EPHEMERAL);
    const deferred = await h.interact(press);
    expect(deferred.type).toBe(6);
    const edit = MessageData.parse((await h.webhook(press, 'PATCH', true)).body);
    expect(textOf(edit)).toContain('Removed “Saved paper 1”');
    expect(textOf(edit)).toContain('Your reading list (1)');
    expect(removeIds(edit)).toEqual(['card:remove:2609.00050']);

    const last = buttonPress(app, reader, 'card:remove:2609.00050', EPHEMERAL);
    await h.interact(last);
    const emptied = MessageData.parse((await h.webhook(last, 'PATCH', true)).body);
    expect(textOf(emptied)).toContain('Your reading list is empty');
  });

  it('a paper no longer stored is a private note; the list stays', async () => {
    const { h, reader } = await fiveSaved();
    const reply = await h.interact(buttonPress(h.fake.applicationId, reader, 'card:remove:2609.99999', EPHEMERAL));
    expect(reply.type).toBe(REPLY);
    expect(isEphemeral(reply.data)).toBe(true);
    expect(textOf(reply.data)).toContain('no longer stored');
  });
});
