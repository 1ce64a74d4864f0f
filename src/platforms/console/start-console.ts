import type { Deps } from '../../deps.ts';
import { logSinkOf } from '../../log.ts';
import type { Sender } from '../../platform.ts';
import type { InStream, OutStream } from './console-io.ts';
import { startConsoleRepl } from './console-repl.ts';
import { createConsoleSender } from './console-sender.ts';

/**
 * The console platform: digests and alerts on stdout and, when stdin is a terminal, a prompt
 * that runs /papers commands. Used when no chat platform has tokens. While the prompt is up, log
 * lines, digests and alerts print above it, and it is redrawn with what was being typed.
 */
export function startConsole(
  deps: Deps,
  options: { stdout?: OutStream; stdin?: InStream; onInterrupt?: () => void } = {},
): { sender: Sender; stop(): Promise<void> } {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  if (!stdin.isTTY) return { sender: createConsoleSender(stdout), stop: async () => undefined };
  const logs = logSinkOf(deps.log);
  const repl = startConsoleRepl(deps, { input: stdin, output: stdout, onInterrupt: options.onInterrupt, onClose: () => logs?.divert(null) });
  logs?.divert((line) => repl.printAbove(line));
  return {
    sender: createConsoleSender({ write: (text) => repl.printAbove(text) }),
    async stop() {
      repl.stop();
    },
  };
}
