import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startConsoleRepl } from '../../../src/platforms/console/console-repl.ts';
import { aPaper } from '../../support/builders.ts';
import { captureStream } from '../../support/capture.ts';
import { testDeps } from '../../support/test-deps.ts';

async function type(input: PassThrough, repl: { idle(): Promise<void> }, line: string) {
  input.write(`${line}\n`);
  // Let readline emit the line, then wait for the queued command to finish.
  await new Promise((resolve) => setImmediate(resolve));
  await repl.idle();
}

describe('console prompt', () => {
  it('runs /papers lines through the parser and dispatcher as an admin, with next/prev paging', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    await deps.store.upsertPapers('2026-09-01', Array.from({ length: 7 }, (_, i) => aPaper({ title: `Console paper ${i}`, upvotes: 50 - i })), deps.clock.now());
    const input = new PassThrough();
    const out = captureStream();
    const repl = startConsoleRepl(deps, { input, output: out.stream });

    await type(input, repl, '/papers today limit=3');
    expect(out.text()).toContain('Top papers for 2026-09-01 (7)');
    expect(out.text()).toContain('1. Console paper 0');
    expect(out.text()).toContain('Page 1 of 3');

    await type(input, repl, 'next');
    expect(out.text()).toContain('4. Console paper 3');
    expect(out.text()).toContain('Page 2 of 3');

    await type(input, repl, 'digest set time=07:30 tz=Europe/Berlin');
    expect(out.text()).toContain('Every day at 07:30 (Europe/Berlin)');

    await type(input, repl, 'serch x');
    expect(out.text()).toContain('Unknown command `serch`');
    repl.stop();
  });

  it('takes next and prev in any case, and removes a watch by a query with the same meaning', async () => {
    const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
    await deps.store.upsertPapers('2026-09-01', Array.from({ length: 7 }, (_, i) => aPaper({ title: `Console paper ${i}`, upvotes: 50 - i })), deps.clock.now());
    const input = new PassThrough();
    const out = captureStream();
    const repl = startConsoleRepl(deps, { input, output: out.stream });
    await type(input, repl, '/papers today limit=3');
    await type(input, repl, 'NEXT');
    expect(out.text()).toContain('4. Console paper 3');
    await type(input, repl, ' Prev ');
    expect(out.text().split('1. Console paper 0')).toHaveLength(3);
    expect(out.text()).not.toContain('Unknown command');

    await type(input, repl, '/papers watch "state space" -survey');
    await type(input, repl, '/papers watch Diffusion video');
    await type(input, repl, '/papers unwatch -survey "state space"');
    expect(out.text()).toContain('Removed the watch `"state space" -survey`. You have 1 watch left.');
    await type(input, repl, '/papers unwatch video diffusion');
    expect(out.text()).toContain('Removed the watch `Diffusion video`. You have 0 watches left.');
    repl.stop();
  });
});
