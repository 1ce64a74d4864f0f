import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCardAction } from '../../commands/card-action.ts';
import { snapshotUpvotes } from '../../src/trending/snapshot-upvotes.ts';
import { aPaper } from '../support/builders.ts';
import { startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { alice, bob, commandDeps, general, run, seed } from './harness.ts';

// trending, similar and saved through the dispatcher, as every platform runs them. Now is
// 2026-09-01 10:00 UTC.

const at = (iso: string) => Date.parse(iso);

describe('/papers trending', () => {
  it('refuses a window that is not day, week or month with the usage', async () => {
    const deps = commandDeps();
    const reply = await run(deps, 'trending', { window: 'year' });
    expect(reply.kind).toBe('error');
    expect(reply.text).toContain('/papers trending [window=day|week|month] [limit=1-25]');
  });

  it('lists the papers that gained upvotes, with their gain, and says so when none did', async () => {
    const deps = commandDeps();
    expect((await run(deps, 'trending')).text).toContain('No stored paper gained upvotes in the last 7 days');
    for (const [upvotes, iso] of [[2, '2026-09-01T06:00:00Z'], [20, '2026-09-01T09:00:00Z']] as const) {
      await deps.store.upsertPapers('2026-09-01', [aPaper({ arxivId: '2609.00001', title: 'Climbing fast', upvotes }), aPaper({ arxivId: '2609.00002', title: 'Quiet', upvotes: 0 })], at(iso));
      await snapshotUpvotes(deps.store, '2026-09-01', at(iso));
    }
    const reply = await run(deps, 'trending', { window: 'day' });
    expect(reply.papers.map((p) => p.id)).toEqual(['2609.00001']);
    expect(reply.papers[0]?.note).toBe('+20 ▲ in the last 24 hours (2.0 an hour)');
    const today = await run(deps, 'today', { sort: 'rising' });
    expect(today.title).toBe('Rising papers for 2026-09-01 (2)');
    expect(today.papers.map((p) => p.id)).toEqual(['2609.00001', '2609.00002']);
  });
});

describe('/papers similar', () => {
  let hf: FakeHf;
  beforeEach(async () => {
    hf = await startFakeHf();
  });
  afterEach(async () => hf.close());

  it('answers an unknown id as paper does (the on-demand lookup), and a bad id with paper’s refusal', async () => {
    const deps = commandDeps({ HF_BASE_URL: hf.url, ARXIV_API_URL: 'http://127.0.0.1:9' });
    const unknown = await run(deps, 'similar', { id: '1706.03762' });
    expect(unknown).toMatchObject({ kind: 'error', text: 'Hugging Face has no page for 1706.03762, and arXiv did not answer: https://arxiv.org/abs/1706.03762' });
    const bad = await run(deps, 'similar', { id: 'not an id' });
    expect(bad.kind).toBe('error');
    expect(bad.text).toContain('is not an arXiv id');
  });

  it('lists papers sharing the distinctive words, never the paper itself', async () => {
    const deps = commandDeps({ HF_BASE_URL: hf.url });
    await seed(deps, '2026-08-31', [
      aPaper({ arxivId: '2608.00001', title: 'Sparse autoencoders for interpretability', abstract: 'Sparse autoencoders find interpretable features.' }),
      aPaper({ arxivId: '2608.00002', title: 'Scaling sparse autoencoders', abstract: 'Interpretable features from sparse autoencoders at scale.' }),
      aPaper({ arxivId: '2608.00003', title: 'Robot grasping', abstract: 'Robots grasp objects.' }),
      aPaper({ arxivId: '2608.00004', title: 'Video generation', abstract: 'Diffusion for video.' }),
    ]);
    const reply = await run(deps, 'similar', { id: 'https://arxiv.org/abs/2608.00001' });
    expect(reply.title).toBe('Papers like 2608.00001: Sparse autoencoders for interpretability');
    expect(reply.papers.map((p) => p.id)).toEqual(['2608.00002']);
    expect(reply.papers[0]?.note).toMatch(/^Shares: .*sparse/);
  });
});

describe('/papers saved', () => {
  it('is private, per user, and exports arXiv-style BibTeX', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-08-31', [
      aPaper({ arxivId: '2410.17243', title: 'Breaking the Memory Barrier: 100% {Scaling}', authors: ['Zesen Cheng', 'Hang Zhang'], publishedAt: at('2024-10-22T00:00:00Z') }),
      aPaper({ arxivId: '2608.00009', title: 'Another paper', authors: ['Ada Lovelace'] }),
    ]);
    expect((await run(deps, 'saved')).text).toContain('Your reading list is empty');
    const user = { ...alice };
    for (const arxivId of ['2410.17243', '2410.17243', '2608.00009']) await runCardAction(deps, { action: 'save', arxivId, user, channel: general });
    const list = await run(deps, 'saved');
    expect(list).toMatchObject({ kind: 'list', visibility: 'private', title: 'Your reading list (2)', cardActions: ['remove', 'similar'] });
    expect((await run(deps, 'saved', {}, { user: bob })).text).toContain('empty');

    const bib = await run(deps, 'saved', { format: 'bibtex' }, { channel: { platform: 'slack', id: 'C1', isDm: false } });
    expect(bib.visibility).toBe('private');
    expect(bib.code).toContain(
      '@misc{cheng2024breaking,\n  title={Breaking the Memory Barrier: 100\\% \\{Scaling\\}},\n  author={Zesen Cheng and Hang Zhang},\n  year={2024},\n  eprint={2410.17243},\n  archivePrefix={arXiv},\n  url={https://arxiv.org/abs/2410.17243},\n}',
    );
    expect(bib.code).toContain('@misc{lovelace2026another,');

    const removed = await runCardAction(deps, { action: 'remove', arxivId: '2410.17243', user, channel: general });
    expect(removed.text).toContain('Removed “Breaking the Memory Barrier');
    expect((await run(deps, 'saved')).title).toBe('Your reading list (1)');
  });
});
