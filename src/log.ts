import pino, { type Logger as PinoLogger, type DestinationStream } from 'pino';
import type { Config } from './config.ts';

export type Logger = PinoLogger;

/** Every place a secret can sit in a log object; pino replaces them with "[redacted]". */
const redactPaths = [
  'token',
  '*.token',
  'config.DISCORD_TOKEN',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_APP_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.HF_TOKEN',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'err.config.headers.Authorization',
];

/** One root logger, JSON lines on stdout (or `destination`, used by tests to capture lines). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination: DestinationStream = createLogSink()): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { app: 'paperboy' },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return pino(options, destination);
}

/**
 * The logger of a lower layer (HTTP, the arXiv gate) that runs for its own jobs and
 * inside a command's work. A pino child repeats a key its parent has, and JSON readers keep the
 * last `module`: inside a command the caller's `module` stays and this layer is named by `via`.
 */
export function layerLog(parent: Logger, layer: string, bindings: Record<string, unknown> = {}): Logger {
  return parent.child(parent.bindings().module === undefined ? { module: layer, ...bindings } : { via: layer, ...bindings });
}

/**
 * Where log lines go, with a switch: the console prompt diverts them so that it can print them
 * above itself and redraw the half-typed command (a raw write would land after `papers> `).
 */
type LogSink = DestinationStream & { divert(write: ((line: string) => void) | null): void };

// Sinks by identity, so that logSinkOf can find the one behind a logger without a cast.
const sinks = new WeakMap<object, LogSink>();

/** Writes to `base` (default: stdout, buffered as pino does) unless diverted. */
export function createLogSink(base: DestinationStream = pino.destination({ dest: 1, sync: false })): LogSink {
  let diverted: ((line: string) => void) | null = null;
  const sink: LogSink = {
    write(line) {
      if (diverted) diverted(line);
      else base.write(line);
    },
    divert(write) {
      // Lines buffered before the switch must not show up after the ones written through it.
      if (write) flushQuietly(base);
      diverted = write;
    },
  };
  sinks.set(sink, sink);
  return sink;
}

function flushQuietly(stream: DestinationStream): void {
  try {
    if ('flushSync' in stream && typeof stream.flushSync === 'function') stream.flushSync();
  } catch {
    // EAGAIN on a busy terminal: at worst an older line prints a little late.
  }
}

/** The sink behind `log` (a child shares its root's), or null when it logs somewhere else. */
export function logSinkOf(log: Logger): LogSink | null {
  const stream: unknown = Reflect.get(log, pino.symbols.streamSym);
  return typeof stream === 'object' && stream !== null ? (sinks.get(stream) ?? null) : null;
}

/** Removes known secret values from a string that may reach a log or a user (error messages). */
export function scrubSecrets(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  return out;
}
