import { describe, expect, it } from 'vitest';
import { backends, storePerTest } from '../support/both-backends.ts';

// watch_forms as the store keeps it: a text per watch text and version (what a form says is
// src/watches/watch-form.ts's business: here any text, JSON or not).

const ann = { platform: 'discord', id: 'U1' };
const bob = { platform: 'slack', id: 'U2' };

describe.each(backends)('watch forms on $name', (backend) => {
  const store = storePerTest(backend);

  it('reads back the forms written under a version, the last write of a text winning', async () => {
    expect(await store().readWatchForms(3)).toEqual(new Map());
    await store().writeWatchForms(3, [{ query: 'diffusion', form: '{"g":[["diffus"]]}' }, { query: '🤖 "quote"', form: 'null' }, { query: 'x', form: 'not "json' }], false);
    await store().writeWatchForms(3, [{ query: 'diffusion', form: '{"g":[["diffus model"]]}' }], false);
    expect(await store().readWatchForms(3)).toEqual(
      new Map([
        ['diffusion', '{"g":[["diffus model"]]}'],
        ['🤖 "quote"', 'null'],
        ['x', 'not "json'],
      ]),
    );
  });

  it('reads only the forms of the version asked for; writing a text under another version moves it there', async () => {
    await store().writeWatchForms(3, [{ query: 'a', form: '1' }, { query: 'b', form: '2' }], false);
    await store().writeWatchForms(4, [{ query: 'b', form: '20' }], false);
    expect(await store().readWatchForms(3)).toEqual(new Map([['a', '1']]));
    expect(await store().readWatchForms(4)).toEqual(new Map([['b', '20']]));
  });

  it('prunes, in the same write, the forms of texts no watch has (whatever their version)', async () => {
    await store().insertWatch(ann, { query: 'kept', queryKey: 'kept' }, 25, 1);
    await store().insertWatch(bob, { query: 'shared', queryKey: 'shared' }, 25, 2);
    await store().insertWatch(ann, { query: 'shared', queryKey: 'shared' }, 25, 3);
    await store().writeWatchForms(1, [{ query: 'gone', form: '0' }, { query: 'shared', form: '0' }], false);
    await store().writeWatchForms(2, [{ query: 'kept', form: '1' }, { query: 'new', form: '1' }], false);
    const [annShared] = (await store().listWatches(ann)).filter((row) => row.query === 'shared');
    await store().deleteWatch(ann, annShared?.id ?? 0, 4);
    expect((await store().readWatchForms(2)).size).toBe(2);

    await store().writeWatchForms(2, [{ query: 'new', form: '2' }], true);
    // `new` is written in the unit, then pruned with the others: no watch has it.
    expect(await store().readWatchForms(2)).toEqual(new Map([['kept', '1']]));
    expect(await store().readWatchForms(1)).toEqual(new Map([['shared', '0']]));
  });
});
