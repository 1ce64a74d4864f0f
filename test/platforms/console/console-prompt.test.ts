import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, createLogSink } from '../../../src/log.ts';
import { message } from '../../../src/messages/message.ts';
import { startConsoleRepl } from '../../../src/platforms/console/console-repl.ts';
import { startConsole } from '../../../src/platforms/console/start-console.ts';
import { aPaper } from '../../support/builders.ts';
import { captureStream } from '../../support/capture.ts';
import { testDeps } from '../../support/test-deps.ts';
import { until } from '../../support/wait.ts';

// The prompt as a person sees it in a terminal: readline in terminal mode on a fake TTY, and the
// bytes it writes. Log lines and digests that arrive while someone types must not break the line.

function terminal() {
  const screen = captureStream({ isTTY: true, columns: 120, rows: 40 });
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  return { input, output: screen.stream, text: screen.text, since: screen.since };
}

// Escape sequences (colours, cursor moves) out, to read the screen's text.
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

const tick = () => new Promise((resolve) => setImmediate(resolve));

function consoleDeps(screen: ReturnType<typeof terminal>) {
  const deps = testDeps({ now: '2026-09-01T10:00:00Z' });
  // The real sink the bot logs through, writing to this fake terminal.
  return { ...deps, log: createLogger({ LOG_LEVEL: 'info' }, createLogSink(screen.output)) };
}

describe('console prompt in a terminal', () => {
  it('prints a log line above the prompt and redraws the prompt with the half-typed command', async () => {
    const screen = terminal();
    const deps = consoleDeps(screen);
    const bot = startConsole(deps, { stdout: screen.output, stdin: screen.input });
    await tick();
    screen.input.write('/papers sea');
    await tick();
    const mark = screen.text().length;
    deps.log.info({ date: '2026-09-01' }, 'ingested papers');
    const after = plain(screen.since(mark));
    expect(after).toMatch(/"msg":"ingested papers"\}\n/);
    expect(after.endsWith('papers> /papers sea')).toBe(true);
    // The prompt line is erased first (cursor to column 1, clear down), so the log line does not
    // follow "papers> /papers sea" on the screen.
    expect(screen.since(mark)).toMatch(/^\x1b\[1G\x1b\[0J\{/);
    // Stopping (Ctrl+C) leaves the prompt's line: the last log lines start on a line of their own.
    const stopMark = screen.text().length;
    await bot.stop();
    deps.log.info('stopped');
    expect(plain(screen.since(stopMark))).toMatch(/^\n\{.*"msg":"stopped"\}\n$/);
  });

  it('prints a digest above the prompt and redraws it', async () => {
    const screen = terminal();
    const deps = consoleDeps(screen);
    const bot = startConsole(deps, { stdout: screen.output, stdin: screen.input });
    await tick();
    screen.input.write('tod');
    await tick();
    const mark = screen.text().length;
    const digest = message({ kind: 'digest', visibility: 'public', title: 'Daily papers — Tue 1 Sep 2026', text: 'Nothing today.' });
    await bot.sender.send({ platform: 'console', kind: 'channel', id: 'console' }, digest, { id: 1, key: 'k1' });
    const after = plain(screen.since(mark));
    expect(after).toContain('Daily papers — Tue 1 Sep 2026');
    expect(after.endsWith('papers> tod')).toBe(true);
    await bot.stop();
  });

  it('says that the bot keeps running when input is closed (Ctrl+D)', async () => {
    const screen = terminal();
    const deps = consoleDeps(screen);
    const bot = startConsole(deps, { stdout: screen.output, stdin: screen.input });
    await tick();
    screen.input.write('\x04');
    await tick();
    expect(plain(screen.text())).toContain('input closed; the bot keeps running, Ctrl+C to stop');
    // Logs still reach the terminal, plainly, after the prompt is gone.
    const mark = screen.text().length;
    deps.log.info('still here');
    expect(screen.since(mark)).toMatch(/^\{.*"msg":"still here"\}\n$/);
    await bot.stop();
  });

  it('documents next / prev at the prompt and in /papers help, and says when there is nothing to page', async () => {
    const screen = terminal();
    const deps = consoleDeps(screen);
    await deps.store.upsertPapers('2026-09-01', Array.from({ length: 4 }, (_, i) => aPaper({ title: `Console paper ${i}`, upvotes: 50 - i })), deps.clock.now());
    const bot = startConsole(deps, { stdout: screen.output, stdin: screen.input });
    await tick();
    expect(plain(screen.text())).toMatch(/next and prev turn the pages of the last list/);
    const run = async (line: string) => {
      const mark = screen.text().length;
      screen.input.write(`${line}\r`);
      return until(() => {
        const answer = plain(screen.since(mark));
        return answer.endsWith('papers> ') && answer;
      }, () => `the prompt again after ${line}, in:\n${plain(screen.since(mark))}`, { stepMs: 10 });
    };
    expect(await run('next')).toMatch(/Nothing to page yet/);
    expect(await run('/papers help')).toMatch(/next \/ prev\r?\n +turn the pages of the last list \(at this prompt\)/);
    // After a reply without pages, `next` says so rather than "run a list first".
    expect(await run('NEXT')).toMatch(/The last reply has only one page/);
    await run('/papers today limit=1');
    expect(await run('prev')).toMatch(/Already on the first page/);
    expect(await run('next')).toContain('2. Console paper 1');
    // A count of pages, and the /papers prefix, as for every other command.
    expect(await run('next 5')).toMatch(/Only 2 pages after this one/);
    expect(await run('/papers next 2')).toContain('4. Console paper 3');
    expect(await run('next')).toMatch(/Already on the last page/);
    expect(await run('prev 0')).toMatch(/`prev N` turns N pages, 1 or more/);
    expect(await run('prev 9')).toMatch(/Only 3 pages before this one/);
    // A mistyped command answers with an error and leaves the list's pages as they were.
    expect(await run('/papers search min:abc')).not.toMatch(/Console paper/);
    expect(await run('/prev')).toContain('3. Console paper 2');
    await bot.stop();
  });

  it('stops the bot on quit or exit, as on Ctrl+C', async () => {
    for (const word of ['quit', 'EXIT']) {
      const screen = terminal();
      let interrupted = 0;
      const bot = startConsole(consoleDeps(screen), { stdout: screen.output, stdin: screen.input, onInterrupt: () => (interrupted += 1) });
      await tick();
      screen.input.write(`${word}\r`);
      await until(() => interrupted > 0, `${word} to stop the bot`, { stepMs: 10 });
      expect(interrupted).toBe(1);
      expect(plain(screen.text())).not.toMatch(/Unknown command/);
      await bot.stop();
    }
  });

  it('shows the prompt again only after the last of the commands typed ahead', async () => {
    const screen = terminal();
    // The prompt itself (what startConsole runs on a terminal), for idle(): both commands done.
    const repl = startConsoleRepl(consoleDeps(screen), { input: screen.input, output: screen.output });
    await tick();
    const mark = screen.text().length;
    screen.input.write('/papers frobnicate\r/papers help\r');
    // Let readline emit both lines, then wait for the queued commands to finish.
    await tick();
    await repl.idle();
    expect(plain(screen.since(mark))).toContain('Query language');
    // Both answers, then one prompt: no "papers> " glued to the start of the second answer.
    expect(plain(screen.since(mark))).not.toMatch(/papers> paperboy: Hugging Face/);
    expect(plain(screen.since(mark)).match(/papers> /g)?.length).toBe(1);
    repl.stop();
  });
});
