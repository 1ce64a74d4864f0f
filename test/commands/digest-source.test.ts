import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { arxivListUrl } from '../../src/digest/arxiv-list-url.ts';
import { announcementOfKey, lastFeedDayOfKey } from '../../src/digest/enqueue-digest.ts';
import { commandDeps, run } from './harness.ts';
import { registeredOptions } from '../platforms/discord/interaction-payloads.ts';

// `digest set source=hf|arxiv|all` at the command boundary: validation, what set/show/preview say,
// the Discord option, the "…and N more" link rule and the outbox keys of arXiv posts.

const admin = { isAdmin: true };
const arxivOn = { ARXIV_CATEGORIES: 'cs.CL,cs.LG' };

describe('digest set source=', () => {
  it('explains a source that is not hf, arxiv or all', async () => {
    const reply = await run(commandDeps(arxivOn), 'digest set', { source: 'bogus' }, admin);
    expect(reply.kind).toBe('error');
    expect(reply.text.split('\n')[0]).toBe('`source` must be one of: hf, arxiv, all (you gave `bogus`).');
  });

  it.each(['arxiv', 'all'])('refuses source=%s while the arXiv source is off, and saves nothing', async (source) => {
    const deps = commandDeps();
    const reply = await run(deps, 'digest set', { source }, admin);
    expect(reply.kind).toBe('error');
    expect(reply.text).toMatch(new RegExp(`^source=${source} needs the arXiv source, which is off on this server: the operator sets ARXIV_CATEGORIES`));
    expect(await deps.store.getDigest('discord', 'C-general')).toBeUndefined();
  });

  it('saves an arXiv digest and says what it posts; show and preview name the source', async () => {
    const deps = commandDeps(arxivOn);
    const set = await run(deps, 'digest set', { source: 'arxiv', query: 'cat:cs.CL retrieval OR rag', top: 3 }, admin);
    expect(set.text).toBe("Every day at 09:00 (UTC) this channel gets the top 3 papers matching `cat:cs.CL retrieval OR rag` of arXiv's latest announcement, when there is one it has not posted.");
    expect((await deps.store.getDigest('discord', 'C-general'))?.source).toBe('arxiv');
    const show = await run(deps, 'digest show', {}, admin);
    expect(show.fields.find((field) => field.name === 'Source')?.value).toBe('the latest arXiv announcement in cs.CL, cs.LG');
    expect(show.fields.find((field) => field.name === 'Next post')?.value).toMatch(/, if arXiv announced since the last post$/);
    const preview = await run(deps, 'digest preview', {}, admin);
    expect(preview.text.split('\n')[0]).toBe('Source: the latest arXiv announcement in cs.CL, cs.LG.');
    expect(preview.text).toMatch(/No arXiv announcement is stored yet/);
    // Options not given keep their value: the source too.
    await run(deps, 'digest set', { top: 5 }, admin);
    expect((await deps.store.getDigest('discord', 'C-general'))?.source).toBe('arxiv');
    await run(deps, 'digest set', { source: 'hf' }, admin);
    expect((await run(deps, 'digest show', {}, admin)).fields.find((field) => field.name === 'Source')?.value).toBe('Hugging Face Daily Papers');
  });

  it("previews the latest announcement through the digest's own selection, with what it leaves out", async () => {
    const deps = commandDeps(arxivOn);
    const paper = (arxivId: string, title: string, announceType: 'new' | 'cross' | 'replace', categories = ['cs.CL']) =>
      ({ arxivId, version: 1, title, abstract: 'We study retrieval.', authors: ['Ada'], categories, publishedAt: null, announceType });
    await deps.store.storeArxivAnnouncement({
      announcement: '2026-09-01',
      categories: 'cs.cl,cs.lg',
      items: [paper('2609.00001', 'Retrieval one', 'new'), paper('2609.00002', 'Tables', 'new', ['cs.LG']), paper('2609.00003', 'Retrieval three', 'cross')],
      skipped: 0,
      warning: null,
      trigger: 'cron',
      now: deps.clock.now(),
    });
    await run(deps, 'digest set', { source: 'arxiv', query: 'cat:cs.CL', top: 1 }, admin);
    const preview = await run(deps, 'digest preview', {}, admin);
    expect(preview.title).toBe('Digest preview — the arXiv announcement of Tue 1 Sep 2026');
    expect(preview.titleUrl).toBe('https://arxiv.org/list/cs.CL/new');
    expect(preview.text).toBe('Source: the latest arXiv announcement in cs.CL, cs.LG.\nThe digest would post 1 of the 3 papers of the arXiv announcement of Tue 1 Sep 2026.');
    expect(preview.papers.map((card) => card.id)).toEqual(['2609.00001']);
    expect(preview.fields.map((field) => field.name)).toEqual(['Not matching the query (1)', 'Past the top 1 (1)']);
    const missing = await run(deps, 'digest preview', { date: '2026-08-29' }, admin);
    expect(missing.text).toMatch(/No arXiv announcement of 2026-08-29 is stored \(arXiv announces Monday to Friday, and the poll reads the latest one: 2026-09-01\)/);
  });

  it('reads source=all from Slack text, and is a Discord option with choices', () => {
    expect(parseCommandText('digest set source=all top=4')).toMatchObject({ name: 'digest set', rawOptions: { source: 'all', top: '4' } });
    const option = registeredOptions('digest set').find((candidate) => candidate.name === 'source');
    expect(option && 'choices' in option ? option.choices?.map((choice) => choice.value) : undefined).toEqual(['hf', 'arxiv', 'all']);
  });
});

describe('arxivListUrl', () => {
  it("links to the category the query names, in the server's spelling, else the first configured; an archive has its page", () => {
    expect(arxivListUrl('cat:cs.cl retrieval', ['cs.LG', 'cs.CL'])).toBe('https://arxiv.org/list/cs.CL/new');
    expect(arxivListUrl('retrieval', ['cs.LG', 'cs.CL'])).toBe('https://arxiv.org/list/cs.LG/new');
    expect(arxivListUrl('cat:stat.ML', ['cs'])).toBe('https://arxiv.org/list/stat.ML/new');
    expect(arxivListUrl('', ['cs'])).toBe('https://arxiv.org/list/cs/new');
  });
});

describe('arXiv digest keys', () => {
  it("never read as a feed day's key, whatever the channel id holds", () => {
    expect(announcementOfKey('digest:discord:123:arxiv-2026-09-01')).toBe('2026-09-01');
    expect(lastFeedDayOfKey('digest:discord:123:arxiv-2026-09-01')).toBeUndefined();
    expect(lastFeedDayOfKey('digest:discord:123:arxiv-none-2026-09-01')).toBeUndefined();
    expect(announcementOfKey('digest:discord:123:arxiv-none-2026-09-01')).toBeUndefined();
    // A channel id ending in "arxiv" still gives a feed-day key whose last segment is a bare day.
    expect(announcementOfKey('digest:slack:C:arxiv:2026-09-01')).toBeUndefined();
    expect(lastFeedDayOfKey('digest:slack:C:arxiv:2026-09-01')).toBe('2026-09-01');
  });
});
