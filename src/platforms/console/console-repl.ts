import { clearScreenDown, createInterface, cursorTo, moveCursor } from 'node:readline';
import { dispatchCommand, turnPage } from '../../../commands/dispatch.ts';
import type { CommandChannel, CommandUser } from '../../../commands/define-command.ts';
import { parseCommandText } from '../../../commands/parse-command-text.ts';
import type { Deps } from '../../deps.ts';
import { renderPlainText, type Message } from '../../messages/message.ts';
import type { InStream, OutStream } from './console-io.ts';
import { CONSOLE_ID } from './console-sender.ts';

export const consoleUser: CommandUser = { platform: 'console', id: CONSOLE_ID, name: 'console' };
export const consoleChannel: CommandChannel = { platform: 'console', id: CONSOLE_ID, isDm: false };

type ConsoleRepl = {
  stop(): void;
  /** Settles when the commands typed so far have been answered. */
  idle(): Promise<void>;
  /** Prints text that arrives on its own (log lines, digests) above the prompt, then redraws it. */
  printAbove(text: string): void;
};

const banner = 'Type /papers help for commands; next and prev turn the pages of the last list. Ctrl+C (or quit) stops the bot.';

/**
 * Runs `/papers …` lines typed at the terminal through the same parser and dispatcher as Slack.
 * The operator at the machine is an admin. `next` / `prev` turn the last list's page.
 * Readline swallows Ctrl+C on a TTY, so it is handed to `onInterrupt` (the shutdown handler).
 * Ctrl+D closes the input only: the bot keeps running, and `onClose` is called.
 */
export function startConsoleRepl(
  deps: Deps,
  options: { input: InStream; output: OutStream; onInterrupt?: () => void; onClose?: () => void },
): ConsoleRepl {
  const { output } = options;
  // Both ends a terminal: with stdout redirected to a file, no cursor moves are written into it.
  const terminal = options.input.isTTY === true && output.isTTY === true;
  const rl = createInterface({ input: options.input, output, prompt: 'papers> ', terminal });
  let lastPaging: Message['paging'];
  // A command has answered (with or without pages): `next` after a one-page list says so.
  let answered = false;
  let pending: Promise<void> = Promise.resolve();
  // True while `papers> ` (and whatever is typed after it) is the last thing on the screen.
  let prompting = false;
  let closed = false;
  let stopping = false;

  const prompt = () => {
    if (closed) return;
    prompting = true;
    rl.prompt();
  };
  const say = (text: string) => output.write(`${text}\n`);
  const show = (reply: Message) => {
    lastPaging = reply.paging ?? lastPaging;
    say(renderPlainText(reply));
  };

  const printAbove = (text: string) => {
    const lines = text.endsWith('\n') ? text : `${text}\n`;
    if (closed || !prompting || !terminal) {
      output.write(lines);
      return;
    }
    // Erase the prompt and the half-typed command (it may span rows), print, then put both back.
    moveCursor(output, 0, -rl.getCursorPos().rows);
    cursorTo(output, 0);
    clearScreenDown(output);
    output.write(lines);
    output.write(`${rl.getPrompt()}${rl.line}`);
    const back = rl.line.length - rl.cursor;
    if (back > 0) moveCursor(output, -back, 0);
  };

  const turn = async (direction: 'next' | 'prev', pages: number) => {
    if (!lastPaging && answered) return say('The last reply has only one page.');
    if (!lastPaging) return say('Nothing to page yet: next and prev turn the pages of the last list (run /papers today or a search first).');
    if (pages < 1) return say(`\`${direction} N\` turns N pages, 1 or more.`);
    const page = lastPaging.page + (direction === 'next' ? pages : -pages);
    if (page < 0) return say(lastPaging.page === 0 ? 'Already on the first page.' : `Only ${lastPaging.page} page${lastPaging.page === 1 ? '' : 's'} before this one.`);
    if (page >= lastPaging.pageCount) {
      const after = lastPaging.pageCount - 1 - lastPaging.page;
      return say(after === 0 ? 'Already on the last page.' : `Only ${after} page${after === 1 ? '' : 's'} after this one.`);
    }
    show(await turnPage(deps, { cursor: lastPaging.cursor, page, user: consoleUser, channel: consoleChannel }));
  };

  const handle = async (line: string) => {
    const text = line.trim();
    if (text === '') return;
    // The prompt's own words, in any case (`NEXT`, `Prev`), with or without /papers, and how many pages (`next 3`).
    const word = text.toLowerCase().replace(/^\/?papers\s+/, '').replace(/^\//, '');
    const paging = /^(next|prev)(?:\s+(\d+))?$/.exec(word);
    if (paging?.[1] === 'next' || paging?.[1] === 'prev') return turn(paging[1], Number(paging[2] ?? 1));
    // What people type to leave a prompt: the same as Ctrl+C.
    if (word === 'quit' || word === 'exit') return options.onInterrupt ? options.onInterrupt() : rl.close();
    const parsed = parseCommandText(text);
    if ('error' in parsed) return say(parsed.error);
    const reply = await dispatchCommand(deps, { ...parsed, user: consoleUser, channel: consoleChannel, isAdmin: true });
    // An error (a mistyped search) brings no list: the pages of the list before it still turn.
    if (reply.kind !== 'error') {
      lastPaging = reply.paging;
      answered = true;
    }
    say(renderPlainText(reply));
  };

  // Lines typed ahead while a command runs wait their turn; the prompt returns after the last.
  let queued = 0;
  rl.on('line', (line) => {
    prompting = false;
    queued += 1;
    // One command at a time, in the order typed; dispatch never throws.
    pending = pending
      .then(() => handle(line))
      .then(() => {
        queued -= 1;
        if (queued === 0) prompt();
      });
  });
  rl.on('SIGINT', () => (options.onInterrupt ? options.onInterrupt() : rl.close()));
  rl.on('close', () => {
    const promptShown = prompting;
    closed = true;
    prompting = false;
    // Ctrl+D: without a word the prompt would just vanish while the bot runs on.
    if (!stopping) say('\ninput closed; the bot keeps running, Ctrl+C to stop');
    // Stopping: the shutdown's last log lines start on a line of their own, not after `papers> `.
    else if (promptShown) output.write('\n');
    options.onClose?.();
  });
  say(banner);
  prompt();
  return {
    stop() {
      stopping = true;
      rl.close();
    },
    idle: () => pending,
    printAbove,
  };
}
