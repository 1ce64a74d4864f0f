import { describe, expect, it } from 'vitest';
import { textMessage } from '../../src/messages/message.ts';
import type { ArtifactAlertBatch, ArtifactAlertItem, Store } from '../../src/store/store.ts';
import { backends, storePerTest } from '../support/both-backends.ts';
import { aPaper } from '../support/builders.ts';

const T0 = Date.parse('2026-09-02T10:00:00Z');
const HOUR = 3_600_000;
const ada = { platform: 'discord', id: 'U-ada' };
const bob = { platform: 'slack', id: 'U-bob' };

/** Two papers alerted to ada at T0 (one DM), the first also to bob an hour later. */
async function seed(store: Store): Promise<number[]> {
  const { inserted } = await store.upsertPapers('2026-09-01', [aPaper(), aPaper()], T0);
  await store.recordAlerts({
    throughPaperId: Math.max(...inserted),
    dms: [{ user: ada, paperIds: inserted, idempotencyKey: 'alert:discord:U-ada:1', message: () => textMessage('alert') }],
    now: T0,
  });
  await store.recordAlerts({
    throughPaperId: Math.max(...inserted),
    dms: [{ user: bob, paperIds: [inserted[0] ?? 0], idempotencyKey: 'alert:slack:U-bob:2', message: () => textMessage('alert') }],
    now: T0 + HOUR,
  });
  return inserted;
}

function dm(user: { platform: string; id: string }, key: string, items: ArtifactAlertItem[], baseline: ArtifactAlertItem[] = []): ArtifactAlertBatch['dms'][number] {
  return { user, idempotencyKey: key, items, baseline, message: (fresh) => textMessage(fresh.map((item) => `${item.paperId}:${item.kind}`).join(',')) };
}

describe.each(backends)('artifact alerts on $name', (backend) => {
  const store = storePerTest(backend);

  it('lists the papers alerted in the window with the alert DM and what each user knows', async () => {
    const [a = 0, b = 0] = await seed(store());
    const candidates = await store().artifactAlertCandidates(T0);
    expect(candidates.map((c) => [c.platform, c.userId, c.paperId, c.alertedAt, c.known])).toEqual([
      ['discord', 'U-ada', a, T0, []],
      ['discord', 'U-ada', b, T0, []],
      ['slack', 'U-bob', a, T0 + HOUR, []],
    ]);
    const alertDm = await store().getDelivery(candidates[0]?.alertDeliveryId ?? -1);
    expect(alertDm).toMatchObject({ kind: 'alert', idempotencyKey: 'alert:discord:U-ada:1' });
    expect((await store().artifactAlertCandidates(T0 + 1)).map((c) => c.userId)).toEqual(['U-bob']);

    await store().recordArtifactAlerts({ dms: [dm(ada, 'artifacts:discord:U-ada:1', [{ paperId: a, kind: 'github' }], [{ paperId: a, kind: 'checked' }, { paperId: a, kind: 'models' }])], now: T0 + 2 * HOUR });
    const after = await store().artifactAlertCandidates(T0);
    expect(after.map((c) => c.known)).toEqual([['checked', 'github', 'models'], [], []]);
  });

  it('queues one DM per user with the items it does not know yet, each (user, paper, kind) once, also when recorded again', async () => {
    const [a = 0, b = 0] = await seed(store());
    const first = await store().recordArtifactAlerts({
      dms: [
        dm(ada, 'artifacts:discord:U-ada:1', [{ paperId: a, kind: 'github' }, { paperId: b, kind: 'models' }, { paperId: a, kind: 'github' }], [{ paperId: b, kind: 'checked' }]),
        dm(bob, 'artifacts:slack:U-bob:1', [{ paperId: a, kind: 'github' }]),
      ],
      now: T0 + 2 * HOUR,
    });
    expect(first).toEqual({ deliveries: 2, items: 3 });
    const rows = await Promise.all([1, 2].map((id) => store().getDelivery(id + 2)));
    expect(rows.map((row) => [row?.kind, row?.targetKind, row?.targetId, row?.idempotencyKey, JSON.parse(row?.payload ?? '{}').text])).toEqual([
      ['artifacts', 'user', 'U-ada', 'artifacts:discord:U-ada:1', `${a}:github,${b}:models`],
      ['artifacts', 'user', 'U-bob', 'artifacts:slack:U-bob:1', `${a}:github`],
    ]);

    // The same batch again (a crash after the unit), or a later pass with a new key: nothing new is told.
    const again = await store().recordArtifactAlerts({ dms: [dm(ada, 'artifacts:discord:U-ada:1', [{ paperId: a, kind: 'github' }])], now: T0 + 3 * HOUR });
    expect(again).toEqual({ deliveries: 0, items: 0 });
    const later = await store().recordArtifactAlerts({ dms: [dm(ada, 'artifacts:discord:U-ada:2', [{ paperId: a, kind: 'github' }, { paperId: a, kind: 'project' }])], now: T0 + 4 * HOUR });
    expect(later).toEqual({ deliveries: 1, items: 1 });
    expect(JSON.parse((await store().getDelivery(5))?.payload ?? '{}').text).toBe(`${a}:project`);

    // A baselined kind is known: never told.
    expect(await store().recordArtifactAlerts({ dms: [dm(bob, 'artifacts:slack:U-bob:2', [{ paperId: a, kind: 'models' }], [{ paperId: a, kind: 'models' }])], now: T0 + 5 * HOUR })).toEqual({ deliveries: 0, items: 0 });
    const known = (await store().artifactAlertCandidates(T0)).map((c) => [c.userId, c.paperId, c.known]);
    expect(known).toEqual([
      ['U-ada', a, ['github', 'project']],
      ['U-ada', b, ['checked', 'models']],
      ['U-bob', a, ['github', 'models']],
    ]);
  });

  it('stores a watch with artifact alerts off, and turns them on and off for the owner only', async () => {
    const saved = await store().insertWatch(ada, { query: 'diffusion', queryKey: 'diffusion', artifacts: false }, 10, T0);
    expect(saved.ok && saved.watch.artifacts).toBe(false);
    const other = await store().insertWatch(ada, { query: 'graph', queryKey: 'graph' }, 10, T0);
    expect(other.ok && other.watch.artifacts).toBe(true);
    const id = saved.ok ? saved.watch.id : -1;
    const version = await store().watchesVersion();
    expect(await store().setWatchArtifacts(bob, id, true)).toBeUndefined();
    expect((await store().setWatchArtifacts(ada, id, true))?.artifacts).toBe(true);
    expect((await store().listWatches(ada)).map((watch) => [watch.query, watch.artifacts])).toEqual([['diffusion', true], ['graph', true]]);
    expect(await store().setWatchArtifacts(ada, 9999, false)).toBeUndefined();
    // The matcher's index does not read the setting.
    expect(await store().watchesVersion()).toBe(version);
  });
});
