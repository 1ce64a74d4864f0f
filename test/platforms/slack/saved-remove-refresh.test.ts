import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aPaper } from '../../support/builders.ts';
import { startHarness, type Harness } from './slack-harness.ts';
import { buttonClick } from './slack-test-kit.ts';

// Remove on a reading-list page in Slack: the page replaces the list in place (replace_original)
// on the page the button sat on, without the paper.

const Button = z.looseObject({ type: z.literal('button'), action_id: z.string(), value: z.string() });
const ActionsBlock = z.looseObject({ type: z.literal('actions'), elements: z.array(z.unknown()) });

function buttons(blocks: unknown[]) {
  return blocks.flatMap((block) => {
    const actions = ActionsBlock.safeParse(block);
    return actions.success ? actions.data.elements.flatMap((e) => (Button.safeParse(e).success ? [Button.parse(e)] : [])) : [];
  });
}

describe('Remove on the reading list (Slack)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('http', { env: { COMMAND_RATE_LIMIT: '1000' } });
    const papers = Array.from({ length: 3 }, (_, i) => aPaper({ arxivId: `2609.0006${i}`, title: `Slack saved ${i}` }));
    const { inserted } = await h.deps.store.upsertPapers('2026-09-01', papers, h.deps.clock.now());
    for (const [i, id] of inserted.entries()) await h.deps.store.savePaper({ platform: 'slack', id: 'U0ALICE' }, id, h.deps.clock.now() + i);
  });
  afterEach(async () => {
    await h.close();
  });

  it('replaces the page with itself minus the paper; the last paper of the last page shows the new last page', async () => {
    const first = await h.command('saved limit=2');
    const next = buttons(first.blocks).find((button) => button.action_id === 'paperboy_page_next');
    if (!next) throw new Error('no Next button');
    const page2 = h.fake.newResponseUrl();
    await h.interact(buttonClick({ actionId: next.action_id, value: next.value, responseUrl: page2.url }));
    const second = await h.reply(page2.id);
    expect(second.all).toContain('Slack saved 0');
    const remove = buttons(second.blocks).find((button) => button.action_id.startsWith('paperboy_card_remove_'));
    expect(remove?.value).toMatch(/^2609\.00060 [A-Za-z0-9_-]{12}:1$/);

    const removed = h.fake.newResponseUrl();
    await h.interact(buttonClick({ actionId: remove?.action_id ?? '', value: remove?.value ?? '', responseUrl: removed.url }));
    const refreshed = await h.reply(removed.id);
    expect(refreshed.replaceOriginal).toBe(true);
    expect(refreshed.all).toContain('Removed “Slack saved 0” (2609.00060) from your reading list.');
    expect(refreshed.all).toContain('Your reading list (2)');
    expect(buttons(refreshed.blocks).filter((b) => b.action_id.startsWith('paperboy_card_remove_')).map((b) => b.value)).toEqual(['2609.00062', '2609.00061']);
  });

  it('a one-page list carries no cursor; a paper no longer stored is a separate note and the list stays', async () => {
    const list = await h.command('saved');
    const remove = buttons(list.blocks).find((button) => button.action_id === 'paperboy_card_remove_0');
    const note = h.fake.newResponseUrl();
    await h.interact(buttonClick({ actionId: 'paperboy_card_remove_0', value: '2609.99999', responseUrl: note.url }));
    const refused = await h.reply(note.id);
    expect(refused.replaceOriginal).toBe(false);
    expect(refused.all).toContain('no longer stored');
    expect(remove?.value).toBe('2609.00062');
    expect((await h.deps.store.listSavedPapers({ platform: 'slack', id: 'U0ALICE' }, { limit: 10, offset: 0 })).total).toBe(3);
  });
});
