import { describe, expect, it } from 'vitest';
import { buildAlert } from '../../src/alerts/build-alert.ts';
import { buildDigest, buildDigestPreview } from '../../src/digest/build-digest.ts';
import { formatFeedDay, formatFeedDays } from '../../src/digest/format-day.ts';
import type { DigestSelection } from '../../src/digest/select-digest.ts';
import { renderPlainText } from '../../src/messages/message.ts';
import { renderEmbeds } from '../../src/platforms/discord/render-embeds.ts';
import { renderBlocks } from '../../src/platforms/slack/render-blocks.ts';
import type { PaperRow } from '../../src/store/store.ts';
import { aPaper } from '../support/builders.ts';
import { createTestStore } from '../support/test-db.ts';

async function papers(n: number, feedDate = '2026-08-31'): Promise<PaperRow[]> {
  const store = createTestStore();
  const list = Array.from({ length: n }, (_, i) => aPaper({ title: `Paper ${i + 1}`, upvotes: 100 - i }));
  return store.getPapersByIds((await store.upsertPapers(feedDate, list, Date.parse('2026-08-31T12:00:00Z'))).inserted);
}

const config = { top: 2, minUpvotes: 0, query: '', postWhenEmpty: false };

describe('formatFeedDay', () => {
  it('names the day in plain English', async () => {
    expect(formatFeedDay('2026-09-01')).toBe('Tue 1 Sep 2026');
    expect(formatFeedDays(['2026-08-29', '2026-08-30', '2026-08-31'])).toBe('Sat 29 Aug – Mon 31 Aug 2026');
    expect(formatFeedDays(['2025-12-31', '2026-01-01'])).toBe('Wed 31 Dec 2025 – Thu 1 Jan 2026');
  });
});

describe('buildDigest', () => {
  it('titles the post with the day, links the day page and counts what was cut', async () => {
    const rows = await papers(5);
    const selection: DigestSelection = {
      included: rows.slice(0, 2),
      excluded: rows.slice(2).map((paper) => ({ paper, reason: 'past_top_n' as const })),
      dayTotal: 5,
    };
    const msg = buildDigest(config, selection, { feedDates: ['2026-08-31'], offline: false });
    expect(msg).toMatchObject({
      kind: 'digest',
      visibility: 'public',
      title: 'Daily papers — Mon 31 Aug 2026',
      titleUrl: 'https://huggingface.co/papers/date/2026-08-31',
      text: 'Top 2 of 5 papers.',
      more: { count: 3, url: 'https://huggingface.co/papers/date/2026-08-31' },
    });
    expect(msg.papers.map((card) => card.title)).toEqual(['Paper 1', 'Paper 2']);
    expect(msg.papers[0]?.url).toBe(`https://huggingface.co/papers/${rows[0]?.arxivId}`);
    expect(msg.footer).toBeUndefined();
  });

  it('has no `more` when nothing was cut by top N, and names its filters', async () => {
    const rows = await papers(2);
    const msg = buildDigest({ top: 5, minUpvotes: 3, query: 'llm -survey' }, { included: rows, excluded: [], dayTotal: 2 }, { feedDates: ['2026-08-31'], offline: false });
    expect(msg.more).toBeUndefined();
    expect(msg.footer).toBe('Filters: min 3 upvotes · query: llm -survey');
  });

  it('says "while I was offline" for several days in one post', async () => {
    const rows = await papers(3);
    const msg = buildDigest(config, { included: rows.slice(0, 2), excluded: [{ paper: rows[2] as PaperRow, reason: 'past_top_n' }], dayTotal: 3 }, {
      feedDates: ['2026-08-29', '2026-08-30', '2026-08-31'],
      offline: true,
    });
    expect(msg.title).toBe('Daily papers — Sat 29 Aug – Mon 31 Aug 2026');
    expect(msg.text).toMatch(/^While I was offline I missed 3 days/);
    expect(msg.more?.url).toBe('https://huggingface.co/papers/date/2026-08-31');
  });

  it('is a short "no papers" note for an empty day', async () => {
    const msg = buildDigest(config, { included: [], excluded: [], dayTotal: 0 }, { feedDates: ['2026-08-29'], offline: false });
    expect(msg.text).toBe('No papers on Sat 29 Aug 2026: the feed was empty.');
    expect(msg.papers).toEqual([]);
    const filtered = buildDigest(config, { included: [], excluded: (await papers(2)).map((paper) => ({ paper, reason: 'below_min_upvotes' as const })), dayTotal: 2 }, {
      feedDates: ['2026-08-31'],
      offline: false,
    });
    expect(filtered.text).toBe("None of the 2 papers of Mon 31 Aug 2026 passed this channel's filters.");
  });
});

describe('buildDigestPreview', () => {
  it('lists every left-out paper under its reason, privately', async () => {
    const rows = await papers(5);
    const [a, b, c, d, e] = rows as [PaperRow, PaperRow, PaperRow, PaperRow, PaperRow];
    const selection: DigestSelection = {
      included: [a],
      excluded: [
        { paper: b, reason: 'excluded_by_query' },
        { paper: c, reason: 'not_matching_query' },
        { paper: d, reason: 'past_top_n' },
        { paper: e, reason: 'below_min_upvotes' },
      ],
      dayTotal: 5,
    };
    const msg = buildDigestPreview({ top: 1, minUpvotes: 97, query: 'x', postWhenEmpty: false }, selection, { feedDates: ['2026-08-31'] });
    expect(msg).toMatchObject({ kind: 'digest', visibility: 'private', title: 'Digest preview — Mon 31 Aug 2026' });
    expect(msg.text).toBe('The digest would post 1 of the 5 papers of Mon 31 Aug 2026.');
    expect(msg.fields.map((f) => f.name)).toEqual(['Below 97 upvotes (1)', 'Not matching the query (1)', 'Excluded by the query (1)', 'Past the top 1 (1)']);
    expect(msg.fields[0]?.value).toBe(`• ${e.title} (▲ ${e.upvotes})`);
  });

  it('puts each left-out paper on its own line under its reason, on every platform', async () => {
    const rows = await papers(4);
    const [a, b, c, d] = rows as [PaperRow, PaperRow, PaperRow, PaperRow];
    const selection: DigestSelection = {
      included: [a, b],
      excluded: [
        { paper: c, reason: 'past_top_n' },
        { paper: d, reason: 'past_top_n' },
      ],
      dayTotal: 4,
    };
    const msg = buildDigestPreview(config, selection, { feedDates: ['2026-08-31'] });
    const list = `Past the top 2 (2):\n• ${c.title} (▲ ${c.upvotes})\n• ${d.title} (▲ ${d.upvotes})`;
    const text = renderPlainText(msg);
    expect(text).toContain(`papers/${b.arxivId}\n\n${list}\n\nFilters:`);
    // One left-out paper is a list too: under the label, not on its line.
    const single = renderPlainText(buildDigestPreview(config, { ...selection, excluded: [{ paper: c, reason: 'past_top_n' }], dayTotal: 3 }, { feedDates: ['2026-08-31'] }));
    expect(single).toContain(`\n\nPast the top 2 (1):\n• ${c.title} (▲ ${c.upvotes})\n`);
    // Discord: an embed field (name above value); Slack: a bold name above the value.
    const fields = renderEmbeds(msg).embeds.flatMap((embed) => embed.fields ?? []);
    expect(fields).toContainEqual({ name: 'Past the top 2 (2)', value: `• ${c.title} (▲ ${c.upvotes})\n• ${d.title} (▲ ${d.upvotes})` });
    const blocks = JSON.stringify(renderBlocks(msg, { mode: 'single' }));
    expect(blocks).toContain(JSON.stringify(`*Past the top 2 (2)*\n• ${c.title} (▲ ${c.upvotes})\n• ${d.title} (▲ ${d.upvotes})`).slice(1, -1));
  });

  it('says what an empty day posts: nothing, or the note when post_when_empty is on', async () => {
    const empty: DigestSelection = { included: [], excluded: [], dayTotal: 0 };
    expect(buildDigestPreview(config, empty, { feedDates: ['2026-08-29'] }).text).toBe(
      'No papers on Sat 29 Aug 2026: nothing would be posted (post_when_empty=yes posts a short note instead).',
    );
    expect(buildDigestPreview({ ...config, postWhenEmpty: true }, empty, { feedDates: ['2026-08-29'] }).text).toBe(
      'The digest would post this note: "No papers on Sat 29 Aug 2026: the feed was empty."',
    );
  });

  it('keeps each reason list short enough for a Discord field', async () => {
    const rows = (await papers(60)).map((row) => ({ ...row, title: `${row.title} ${'long words '.repeat(5)}` }));
    const msg = buildDigestPreview(config, { included: [], excluded: rows.map((paper) => ({ paper, reason: 'past_top_n' as const })), dayTotal: 60 }, {
      feedDates: ['2026-08-31'],
    });
    const value = msg.fields[0]?.value ?? '';
    expect(value.length).toBeLessThanOrEqual(1024);
    expect(value).toMatch(/…and \d+ more$/);
  });
});

describe('buildAlert', () => {
  it('lists every newly matched paper once, with its watch and matched terms', async () => {
    const [a, b] = (await papers(2)) as [PaperRow, PaperRow];
    const msg = buildAlert([
      { paper: a, watch: 'diffusion', terms: ['diffusion'] },
      { paper: b, watch: 'llm agents', terms: ['LLM', 'agents'] },
      { paper: a, watch: 'video', terms: ['video'] },
    ]);
    expect(msg).toMatchObject({ kind: 'alert', visibility: 'private', title: '2 new papers for your watches' });
    expect(msg.papers.map((card) => [card.id, card.match])).toEqual([
      [a.arxivId, { watch: 'diffusion', terms: ['diffusion'] }],
      [b.arxivId, { watch: 'llm agents', terms: ['LLM', 'agents'] }],
    ]);
    expect(renderPlainText(msg)).toContain('matched "llm agents": LLM, agents');
  });

  it('names the watch for a single paper', async () => {
    const [a] = (await papers(1)) as [PaperRow];
    expect(buildAlert([{ paper: a, watch: 'diffusion', terms: ['diffusion'] }]).title).toBe('New paper for your watch “diffusion”');
  });

  it('names the one watch that matched several papers, and no watch when papers not shown may be another’s', async () => {
    const [a, b] = (await papers(2)) as [PaperRow, PaperRow];
    const matches = [
      { paper: a, watch: 'min:20 scaling', terms: ['scaling'] },
      { paper: b, watch: 'min:20 scaling', terms: ['scale'] },
    ];
    expect(buildAlert(matches).title).toBe('2 new papers for your watch “min:20 scaling”');
    expect(buildAlert(matches, 30).title).toBe('30 new papers for your watches');
    // The matcher knows only one of the user's watches matched: named, whatever the DM leaves out.
    expect(buildAlert(matches, 30, 1).title).toBe('30 new papers for your watch “min:20 scaling”');
    expect(buildAlert(matches, 30, 2).title).toBe('30 new papers for your watches');
  });
});
