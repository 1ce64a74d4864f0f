import { describe, expect, it } from 'vitest';
import { runCardAction } from '../../commands/card-action.ts';
import { renderPlainText, type Message } from '../../src/messages/message.ts';
import { snapshotUpvotes } from '../../src/trending/snapshot-upvotes.ts';
import { aPaper } from '../support/builders.ts';
import { discordProblems, slackProblems } from '../support/platform-limits.ts';
import { alice, commandDeps, general, run } from '../commands/harness.ts';

// trending, similar and saved at their largest, with hostile text, on every renderer: within
// Discord's and Slack's limits, no mentions, no markup from feed text, and readable as plain text.

const at = (iso: string) => Date.parse(iso);
const hostile = (i: number) => `@everyone <!channel> <@U123> \`\`\` ${'Sparse autoencoder interpretability '.repeat(8)} {#${i}} 100% _x_ ~y^ \\z`;

async function bigDay() {
  const deps = commandDeps();
  const papers = (upvotes: number) =>
    Array.from({ length: 30 }, (_, i) =>
      aPaper({
        arxivId: `2609.${String(40000 + i)}`,
        title: hostile(i),
        abstract: `${'Sparse autoencoders find interpretable features in language models. '.repeat(30)} <!here>`,
        authors: Array.from({ length: 40 }, (_, a) => `Author ${a} @here`),
        upvotes: upvotes + i,
      }),
    );
  await deps.store.upsertPapers('2026-09-01', papers(0), at('2026-09-01T06:00:00Z'));
  await snapshotUpvotes(deps.store, '2026-09-01', at('2026-09-01T06:00:00Z'));
  await deps.store.upsertPapers('2026-09-01', papers(50), at('2026-09-01T09:00:00Z'));
  await snapshotUpvotes(deps.store, '2026-09-01', at('2026-09-01T09:00:00Z'));
  for (let i = 0; i < 30; i += 1) await runCardAction(deps, { action: 'save', arxivId: `2609.${String(40000 + i)}`, user: alice, channel: general });
  return deps;
}

function expectRenders(msg: Message): void {
  expect(discordProblems(msg)).toEqual([]);
  expect(slackProblems(msg)).toEqual([]);
  expect(renderPlainText(msg).length).toBeGreaterThan(0);
}

describe('new replies within platform limits', () => {
  it('trending, today sort=rising, similar, saved (list and BibTeX) at their largest', async () => {
    const deps = await bigDay();
    const replies = [
      await run(deps, 'trending', { window: 'day', limit: 25 }),
      await run(deps, 'today', { sort: 'rising', limit: 25 }),
      await run(deps, 'similar', { id: '2609.40000', limit: 10 }),
      await run(deps, 'saved', { limit: 25 }),
      await run(deps, 'saved', { format: 'bibtex' }),
    ];
    expect(replies.map((reply) => reply.kind)).toEqual(['list', 'list', 'list', 'list', 'text']);
    expect(replies[0]?.papers).toHaveLength(25);
    expect(replies[2]?.papers).toHaveLength(10);
    for (const reply of replies) expectRenders(reply);
    // Discord attaches all 30 as a file; Slack's code block says it holds only the first entries; the console's holds all 30.
    expect(replies[4]?.text).toBe('Your 30 saved papers as BibTeX, in the attached paperboy-saved.bib.');
    expect(replies[4]?.attachment?.text.match(/^@misc\{/gm)).toHaveLength(30);
    const slack = await run(deps, 'saved', { format: 'bibtex' }, { channel: { platform: 'slack', id: 'C1', isDm: false } });
    expectRenders(slack);
    expect(slack.text).toMatch(/^The first \d+ of your 30 saved papers as BibTeX/);
    const whole = await run(deps, 'saved', { format: 'bibtex' }, { channel: { platform: 'console', id: 'console', isDm: false } });
    expect(whole.code?.match(/^@misc\{/gm)).toHaveLength(30);
    expect(whole.text).toBe('Your 30 saved papers as BibTeX:');
  });
});
