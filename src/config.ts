import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import cron from 'node-cron';

const optionalString = z.string().min(1).optional();
const intFromEnv = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const Env = z
  .object({
    DATABASE_PATH: z.string().min(1).default('./data/paperboy.db'),
    HF_BASE_URL: z.url().default('https://huggingface.co'),
    HF_TOKEN: optionalString,
    INGEST_CRON: z
      .string()
      .default('*/30 * * * *')
      .refine((expr) => cron.validate(expr), 'is not a valid cron expression'),
    CATCH_UP_DAYS: intFromEnv(7, 0, 60),
    FEED_TIMEOUT_MS: intFromEnv(15_000, 100, 120_000),
    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,25}$/, 'must be a numeric application id').optional(),
    DISCORD_API_URL: z.url().default('https://discord.com/api'),
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must start with xoxb-').optional(),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must start with xapp-').optional(),
    SLACK_API_URL: z.url().default('https://slack.com/api/'),
    SLACK_ADMIN_USER_IDS: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((id) => id.trim()).filter(Boolean)),
    PORT: intFromEnv(3000, 0, 65_535),
    HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MAX_WATCHES_PER_USER: intFromEnv(25, 1, 1000),
    COMMAND_RATE_LIMIT: intFromEnv(10, 1, 10_000),
    DEFAULT_DIGEST_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM').default('09:00'),
    DEFAULT_TIMEZONE: z
      .string()
      .default('UTC')
      .refine((tz) => isValidTimeZone(tz), 'is not an IANA time zone'),
  })
  .superRefine((env, ctx) => {
    if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'is required when DISCORD_TOKEN is set' });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_APP_TOKEN'],
        message: 'SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) is required when SLACK_BOT_TOKEN is set',
      });
    }
  });

export type Config = z.output<typeof Env>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates the environment once. `KEY=` counts as unset. Throws ConfigError listing every
 * problem, each naming its variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
  const result = Env.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || 'env'} ${issue.message}`));
  }
  return result.data;
}

/** Reads `.env` (when present) under the real environment: variables already set win. */
export function readEnv(path = '.env', env: Record<string, string | undefined> = process.env) {
  if (!existsSync(path)) return { ...env };
  return { ...parseDotenv(readFileSync(path)), ...env };
}

export function enabledPlatforms(config: Config): Array<'discord' | 'slack' | 'console'> {
  const platforms: Array<'discord' | 'slack' | 'console'> = [];
  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) platforms.push('discord');
  if (config.SLACK_BOT_TOKEN && (config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET)) platforms.push('slack');
  if (platforms.length === 0) platforms.push('console');
  return platforms;
}
