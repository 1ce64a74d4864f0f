import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildArtifactAlert, MAX_ARTIFACT_PAPERS } from '../../src/alerts/build-artifact-alert.ts';
import { planAlerts } from '../../src/alerts/plan-alerts.ts';
import { planArtifactAlerts } from '../../src/alerts/plan-artifact-alerts.ts';
import { renderPlainText, type Message } from '../../src/messages/message.ts';
import { parseStoredMessage } from '../../src/messages/stored-message.ts';
import type { Store } from '../../src/store/store.ts';
import { addWatch } from '../../src/watches/add-watch.ts';
import { backends, storePerTest } from '../support/both-backends.ts';
import { aPaper } from '../support/builders.ts';
import { hfItem, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { testDeps } from '../support/test-deps.ts';
import { createRecordingSender } from '../support/recording-sender.ts';
import { createDeliveryWorker } from '../../src/delivery/send-pending.ts';
import { discordProblems, slackProblems } from '../support/platform-limits.ts';

// Artifact alerts for watches through the fake Hugging Face (the single-paper endpoint and
// /api/arxiv/{id}/repos) and the real store on both backends.

const ada = { platform: 'discord', id: 'U-ada' } as const;
const bob = { platform: 'discord', id: 'U-bob' } as const;
const carl = { platform: 'discord', id: 'U-carl' } as const;
const A = { arxivId: '2609.00101', title: 'Diffusion transformers at scale' };
const B = { arxivId: '2609.00102', title: 'Diffusion with its code already out', githubRepo: 'https://github.com/org/b', githubStars: 5 };
const C = { arxivId: '2609.00103', title: 'Graph networks, unrelated' };
const HOUR = 3_600_000;

/** The artifact DMs queued so far, oldest first. */
async function artifactDms(store: Store): Promise<Array<{ to: string; message: Message }>> {
  const rows = [];
  for (let id = 1; id < 100; id += 1) {
    const row = await store.getDelivery(id);
    if (row?.kind === 'artifacts') rows.push({ to: row.targetId, message: parseStoredMessage(row.payload) });
  }
  return rows;
}

describe.each(backends)('artifact alerts on $name', (backend) => {
  const store = storePerTest(backend);
  let hf: FakeHf;
  beforeEach(async () => {
    hf = await startFakeHf();
  });
  afterEach(async () => {
    await hf.close();
  });

  /** A, B and C stored; ada and bob (artifacts:no) alerted to A and B; carl watches diffusion from after the alert. */
  async function setUp() {
    const deps = testDeps({ store: store(), env: { HF_BASE_URL: hf.url }, now: '2026-09-02T09:00:00Z' });
    await addWatch(deps, ada, 'diffusion');
    await addWatch(deps, bob, 'diffusion', { artifacts: false });
    const { inserted } = await deps.store.upsertPapers('2026-09-01', [aPaper(A), aPaper(B), aPaper(C)], deps.clock.now());
    expect((await planAlerts(deps, 1, inserted, ['discord'])).deliveries).toBe(2);
    await addWatch(deps, carl, 'diffusion');
    const serve = (paper: Record<string, unknown>) => hf.setPaper(String(paper.id), hfItem(paper).paper as Record<string, unknown>);
    serve({ id: A.arxivId, title: A.title });
    serve({ id: B.arxivId, title: B.title, githubRepo: B.githubRepo, githubStars: B.githubStars });
    serve({ id: C.arxivId, title: C.title });
    hf.setRepos(A.arxivId, { models: ['org/a-base'] });
    /** One check, as after an ingest job, `hours` after the alert. */
    const checkAt = (hours: number) => {
      deps.clock.set(new Date(Date.parse('2026-09-02T09:00:00Z') + hours * HOUR).toISOString());
      return planArtifactAlerts(deps, ['discord']);
    };
    return { deps, serve, checkAt };
  }

  it('tells an alerted user once when code appears: not twice, not after a restart, not with artifacts:no, not to a user never alerted', async () => {
    const { deps, serve, checkAt } = await setUp();
    // The first look: the model already linked and B's repo (the alert showed it) are no news.
    expect(await checkAt(1)).toBe(0);
    expect(await artifactDms(deps.store)).toEqual([]);

    serve({ id: A.arxivId, title: A.title, githubRepo: 'https://github.com/org/diffusion', githubStars: 120 });
    serve({ id: B.arxivId, title: B.title, githubRepo: B.githubRepo, githubStars: 50 });
    expect(await checkAt(2)).toBe(1);
    const [dm] = await artifactDms(deps.store);
    expect(dm?.to).toBe(ada.id);
    expect(dm?.message.fields).toEqual([{ name: A.title, value: `code released: github.com/org/diffusion (★ 120)\nhttps://huggingface.co/papers/${A.arxivId}` }]);
    expect(dm?.message.title).toBe('Released for a paper you were alerted to');

    // The next run, and a restarted bot (a new pass over the same database): nothing more.
    expect(await checkAt(3)).toBe(0);
    const restarted = testDeps({ store: store(), env: { HF_BASE_URL: hf.url }, now: '2026-09-02T13:00:00Z' });
    expect(await planArtifactAlerts(restarted, ['discord'])).toBe(0);
    expect(await artifactDms(deps.store)).toHaveLength(1);
    expect(hf.requests.some((request) => request.path.endsWith('/repos'))).toBe(true);

    // The outbox sends it once, to ada's DMs (the alert DMs go first).
    const sender = createRecordingSender('discord');
    const worker = createDeliveryWorker(deps, [sender]);
    await worker.runOnce();
    await worker.runOnce();
    const released = sender.sent.filter((sent) => sent.message.title?.startsWith('Released'));
    expect(released.map((sent) => [sent.target.kind, sent.target.id])).toEqual([['user', ada.id]]);
  });

  it('batches the news of two papers into one DM; a kind there at the first look, or told, stays quiet', async () => {
    const { deps, serve, checkAt } = await setUp();
    expect(await checkAt(1)).toBe(0);
    serve({ id: A.arxivId, title: A.title, projectPage: 'https://example.org/a' });
    hf.setRepos(A.arxivId, { models: ['org/a-base', 'org/a-large'], datasets: ['org/a-data'] });
    hf.setRepos(B.arxivId, { spaces: ['org/b-demo'] });
    expect(await checkAt(2)).toBe(1);
    const [dm] = await artifactDms(deps.store);
    const text = renderPlainText(dm?.message ?? ({} as Message));
    expect(dm?.message.title).toBe('Released for 2 papers you were alerted to');
    expect(dm?.message.fields.map((field) => field.name)).toEqual([A.title, B.title]);
    expect(text).toContain('project page: https://example.org/a');
    expect(text).toContain('new dataset on Hugging Face: https://huggingface.co/datasets/org/a-data');
    expect(text).toContain('new Space on Hugging Face: https://huggingface.co/spaces/org/b-demo');
    expect(text).not.toContain('a-large');

    // Another dataset later: that kind was told for A.
    hf.setRepos(A.arxivId, { models: ['org/a-base', 'org/a-large'], datasets: ['org/a-data', 'org/a-data-2'] });
    expect(await checkAt(8)).toBe(0);
  });

  it('checks papers alerted in the last 14 days only, and skips users whose DMs are closed until they open', async () => {
    const { deps, serve, checkAt } = await setUp();
    expect(await checkAt(1)).toBe(0);
    await deps.store.markDmClosed(ada, deps.clock.now());
    serve({ id: A.arxivId, title: A.title, githubRepo: 'https://github.com/org/diffusion', githubStars: null });
    expect(await checkAt(2)).toBe(0);
    await deps.store.clearDmClosed(ada);
    expect(await checkAt(13 * 24)).toBe(1);
    const [dm] = await artifactDms(deps.store);
    expect(dm?.message.fields[0]?.value).toContain('code released: github.com/org/diffusion\n');
    // Fifteen days after the alert: B's new Space is not looked for any more.
    hf.setRepos(B.arxivId, { spaces: ['org/b-demo'] });
    expect(await checkAt(15 * 24)).toBe(0);
    expect(await artifactDms(deps.store)).toHaveLength(1);
  });

  it('an artifact alert follows the user\'s watch setting: turning it off stops them', async () => {
    const { deps, serve, checkAt } = await setUp();
    expect(await checkAt(1)).toBe(0);
    await addWatch(deps, ada, 'diffusion', { artifacts: false });
    serve({ id: A.arxivId, title: A.title, githubRepo: 'https://github.com/org/diffusion' });
    expect(await checkAt(2)).toBe(0);
    await addWatch(deps, ada, 'Diffusion', { artifacts: true });
    expect(await checkAt(3)).toBe(1);
  });
});

describe('the artifact DM', () => {
  it('stays within Discord and Slack limits at its largest, and pings nobody', () => {
    const long = `${'@everyone <@123> <!channel> '.repeat(40)}end`;
    const entries = Array.from({ length: MAX_ARTIFACT_PAPERS }, (_, i) => ({
      paperId: i + 1,
      arxivId: `2609.${String(i + 1).padStart(5, '0')}`,
      title: long,
      lines: [
        { item: 'github', text: `code released: ${'github.com/org/'.padEnd(400, 'x')} (★ 1)` },
        { item: 'models', text: `new models on Hugging Face: ${'https://huggingface.co/org/model '.repeat(20)}` },
      ],
    }));
    const msg = buildArtifactAlert(entries, entries.flatMap((entry) => entry.lines.map((line) => ({ paperId: entry.paperId, kind: line.item }))));
    expect(msg.fields).toHaveLength(MAX_ARTIFACT_PAPERS);
    expect(discordProblems(msg)).toEqual([]);
    expect(slackProblems(msg)).toEqual([]);
    expect(renderPlainText(msg)).toContain('artifacts:no');
  });
});
