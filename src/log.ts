import pino, { type Logger as PinoLogger, type DestinationStream } from 'pino';
import type { Config } from './config.ts';

export type Logger = PinoLogger;

/** Every place a secret can sit in a log object; pino replaces them with "[redacted]". */
export const redactPaths = [
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
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { app: 'paperboy' },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Removes known secret values from a string that may reach a log or a user (error messages). */
export function scrubSecrets(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  return out;
}
