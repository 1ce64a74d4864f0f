import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { alice, commandDeps, run } from './harness.ts';

// `watch … artifacts:no`: Discord's boolean option, Slack and console text (`artifacts=no` or
// `artifacts:no`), and the same typed into Discord's query option: never a search word.

function watchRows(deps: ReturnType<typeof commandDeps>) {
  return deps.db.$client.prepare('SELECT query, artifacts FROM watches ORDER BY id').all();
}

describe('/papers watch artifacts', () => {
  it('reads artifacts:no and artifacts=no in Slack and console text as the option, not a search word', async () => {
    for (const text of ['watch "world model" artifacts:no', 'watch artifacts=no "world model"']) {
      const parsed = parseCommandText(text);
      expect(parsed, text).toEqual({ name: 'watch', rawOptions: { query: '"world model"', artifacts: 'no' } });
    }
    const deps = commandDeps();
    const parsed = parseCommandText('watch "world model" artifacts:no');
    if ('error' in parsed) throw new Error(parsed.error);
    const reply = await run(deps, parsed.name, parsed.rawOptions);
    expect(reply.title).toBe('Watching: "world model"');
    expect(reply.text).toContain('Code and models released later for its papers are not sent (artifacts: no).');
    expect(watchRows(deps)).toEqual([{ query: '"world model"', artifacts: 0 }]);
  });

  it('takes the Discord boolean, and artifacts:no typed into the query; a quoted one stays a phrase', async () => {
    const deps = commandDeps();
    await run(deps, 'watch', { query: 'diffusion', artifacts: false });
    await run(deps, 'watch', { query: 'agents artifacts:no' });
    await run(deps, 'watch', { query: '"artifacts:no" benchmark' });
    expect(watchRows(deps)).toEqual([
      { query: 'diffusion', artifacts: 0 },
      { query: 'agents', artifacts: 0 },
      { query: '"artifacts:no" benchmark', artifacts: 1 },
    ]);
    const list = await run(deps, 'watches');
    expect(list.text.split('\n')).toEqual([
      expect.stringMatching(/^1\. diffusion {2}\(since \d{4}-\d{2}-\d{2}, artifacts: no\)$/),
      expect.stringMatching(/^2\. agents {2}\(since \d{4}-\d{2}-\d{2}, artifacts: no\)$/),
      expect.stringMatching(/^3\. "artifacts:no" benchmark {2}\(since \d{4}-\d{2}-\d{2}\)$/),
    ]);
    expect(list.footer).toContain('artifacts:no');
  });

  it('changes the setting of a watch the user has, and refuses a value that is not yes or no', async () => {
    const deps = commandDeps();
    await run(deps, 'watch', { query: 'diffusion' });
    const off = await run(deps, 'watch', { query: 'Diffusion', artifacts: false });
    expect(off).toMatchObject({ kind: 'text', title: 'Watch 1: diffusion' });
    expect(off.text).toContain('no longer hear about code or models');
    expect(watchRows(deps)).toEqual([{ query: 'diffusion', artifacts: 0 }]);
    const on = await run(deps, 'watch', { query: 'diffusion artifacts:yes' });
    expect(on.text).toContain('you also hear once');
    expect(watchRows(deps)).toEqual([{ query: 'diffusion', artifacts: 1 }]);
    // Asking for the setting it already has changes nothing, and says so.
    const same = await run(deps, 'watch', { query: 'diffusion artifacts:yes' });
    expect(same).toMatchObject({ kind: 'error', text: 'You already watch `diffusion` (number 1 in your watches, already with artifacts: yes).' });
    // Without the option a duplicate is refused as before.
    expect(await run(deps, 'watch', { query: 'diffusion' })).toMatchObject({ kind: 'error', text: 'You already watch `diffusion` (number 1 in your watches).' });

    const bad = await run(deps, 'watch', { query: 'agents artifacts:maybe' });
    expect(bad).toMatchObject({ kind: 'error', text: '`artifacts` must be yes or no, e.g. `artifacts:no`.' });
    const twice = await run(deps, 'watch', { query: 'agents artifacts:yes', artifacts: false });
    expect(twice.kind).toBe('error');
    const slackBad = parseCommandText('watch agents artifacts=maybe');
    if ('error' in slackBad) throw new Error(slackBad.error);
    expect((await run(deps, slackBad.name, slackBad.rawOptions, { user: alice })).text).toContain('yes or no');
    expect(watchRows(deps)).toHaveLength(1);
  });
});
