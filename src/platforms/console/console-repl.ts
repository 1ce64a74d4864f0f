import { createInterface } from 'node:readline';
import { dispatchCommand, turnPage } from '../../../commands/dispatch.ts';
import type { CommandChannel, CommandUser } from '../../../commands/define-command.ts';
import { parseCommandText } from '../../../commands/parse-command-text.ts';
import type { Deps } from '../../deps.ts';
import { renderPlainText, type Message } from '../../messages/message.ts';
import type { InStream, OutStream } from './console-io.ts';
import { CONSOLE_ID } from './console-sender.ts';

export const consoleUser: CommandUser = { platform: 'console', id: CONSOLE_ID, name: 'console' };
export const consoleChannel: CommandChannel = { platform: 'console', id: CONSOLE_ID, isDm: false };

/**
 * Runs `/papers …` lines typed at the terminal through the same parser and dispatcher as Slack.
 * The operator at the machine is an admin. `next` / `prev` turn the last list's page.
 * Readline swallows Ctrl+C on a TTY, so it is handed to `onInterrupt` (the shutdown handler).
 */
export function startConsoleRepl(
  deps: Deps,
  options: { input: InStream; output: OutStream; onInterrupt?: () => void },
): { stop(): void; idle(): Promise<void> } {
  const rl = createInterface({ input: options.input, output: options.output, prompt: 'papers> ', terminal: options.input.isTTY === true });
  let lastPaging: Message['paging'];
  let pending: Promise<void> = Promise.resolve();
  const show = (reply: Message) => {
    lastPaging = reply.paging ?? lastPaging;
    options.output.write(`${renderPlainText(reply)}\n`);
  };

  const handle = async (line: string) => {
    const text = line.trim();
    if (text === '') return;
    if ((text === 'next' || text === 'prev') && lastPaging) {
      const page = lastPaging.page + (text === 'next' ? 1 : -1);
      show(await turnPage(deps, { cursor: lastPaging.cursor, page, user: consoleUser, channel: consoleChannel }));
      return;
    }
    const parsed = parseCommandText(text);
    if ('error' in parsed) {
      options.output.write(`${parsed.error}\n`);
      return;
    }
    lastPaging = undefined;
    show(await dispatchCommand(deps, { ...parsed, user: consoleUser, channel: consoleChannel, isAdmin: true }));
  };

  rl.on('line', (line) => {
    // One command at a time, in the order typed; dispatch never throws.
    pending = pending.then(() => handle(line)).then(() => rl.prompt());
  });
  rl.on('SIGINT', () => (options.onInterrupt ? options.onInterrupt() : rl.close()));
  options.output.write('Type /papers help for commands.\n');
  rl.prompt();
  return {
    stop: () => rl.close(),
    idle: () => pending,
  };
}
