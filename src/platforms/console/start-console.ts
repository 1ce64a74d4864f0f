import type { Deps } from '../../deps.ts';
import type { Sender } from '../types.ts';
import type { InStream, OutStream } from './console-io.ts';
import { startConsoleRepl } from './console-repl.ts';
import { createConsoleSender } from './console-sender.ts';

/**
 * The console platform: digests and alerts on stdout and, when stdin is a terminal, a prompt
 * that runs /papers commands. Used when no chat platform has tokens.
 */
export function startConsole(
  deps: Deps,
  options: { stdout?: OutStream; stdin?: InStream; onInterrupt?: () => void } = {},
): { sender: Sender; stop(): Promise<void> } {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const repl = stdin.isTTY ? startConsoleRepl(deps, { input: stdin, output: stdout, onInterrupt: options.onInterrupt }) : null;
  return {
    sender: createConsoleSender(stdout),
    async stop() {
      repl?.stop();
    },
  };
}
