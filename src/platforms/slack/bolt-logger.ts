import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { scrubSecrets } from '../../log.ts';

/**
 * Bolt, its WebClient and the Socket Mode client log through this: one pino child, so their lines
 * are JSON like ours. Their debug output (full request bodies) goes to pino's `trace`, and every
 * line is scrubbed of the Slack tokens in case a library prints one.
 */
export function createBoltLogger(log: Logger, secrets: Array<string | undefined>): BoltLogger {
  let name = 'bolt';
  const text = (parts: unknown[]) =>
    scrubSecrets(parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : safeJson(part))).join(' '), secrets);
  return {
    debug: (...parts: unknown[]) => log.trace({ lib: name }, text(parts)),
    info: (...parts: unknown[]) => log.debug({ lib: name }, text(parts)),
    warn: (...parts: unknown[]) => log.warn({ lib: name }, text(parts)),
    error: (...parts: unknown[]) => log.error({ lib: name }, text(parts)),
    // Our level comes from LOG_LEVEL; Bolt only asks so it can skip building debug strings.
    setLevel: () => undefined,
    getLevel: () => (log.isLevelEnabled('trace') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: (next: string) => {
      name = next;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
