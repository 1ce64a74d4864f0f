import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import cron from 'node-cron';
import { isArxivCategory } from './papers/arxiv-category.ts';
import { isFeedDate, toFeedDate } from './clock.ts';

const optionalString = z.string().min(1).optional();

/** The value as a problem line quotes it: control characters escaped (\u000a), at most 40 characters. */
function shown(input: unknown): string {
  const text = String(input).replace(/[\p{Cc}\p{Cf}]/gu, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
  return `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
}
const expected = (what: string) => ({ error: (issue: { input?: unknown }) => `must be ${what}, got ${shown(issue.input)}` });

/** A whole number in [min, max]; `what` replaces "a whole number from min to max" in the message. */
function intFromEnv(min: number, max: number, what = `a whole number from ${min} to ${max}`) {
  return z.string().transform((raw, ctx) => {
    const value = Number(raw.trim());
    if (/^[+-]?\d+$/.test(raw.trim()) && value >= min && value <= max) return value;
    ctx.addIssue({ code: 'custom', message: `must be ${what}, got ${shown(raw)}` });
    return z.NEVER;
  });
}
const port = () => intFromEnv(0, 65_535, 'a port number (0-65535)');
const httpUrl = (example: string) => z.url({ protocol: /^https?$/, ...expected(`an http(s) URL such as ${example}`) });
/** As Slack shows them (Profile → ⋮ → Copy member ID); the CLI's --user check uses the same form. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{6,20}$/;
/** Discord's own limit is far lower; this only keeps a typo from expanding into a huge list. */
const MAX_DISCORD_SHARDS = 100_000;
/** The first day of Hugging Face Daily Papers: the archive backfill never reaches further back. */
export const ARCHIVE_START = '2023-05-04';

/** BACKFILL_FROM: `off`, or a day from ARCHIVE_START to today (UTC). */
const backfillFrom = z.string().transform((raw, ctx): string | 'off' => {
  const text = raw.trim();
  if (text.toLowerCase() === 'off') return 'off';
  const what = `a date from ${ARCHIVE_START} to today (YYYY-MM-DD) or off`;
  const valid = isFeedDate(text);
  if (!valid) ctx.addIssue({ code: 'custom', message: `must be ${what}, got ${shown(raw)}` });
  else if (text < ARCHIVE_START) ctx.addIssue({ code: 'custom', message: `must be ${what}: Daily Papers starts on ${ARCHIVE_START}, got ${shown(raw)}` });
  else if (text > toFeedDate(Date.now())) ctx.addIssue({ code: 'custom', message: `must be ${what}: ${text} is in the future` });
  else return text;
  return z.NEVER;
});
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const unitMs: Record<string, number> = { m: MINUTE_MS, h: HOUR_MS, d: 24 * HOUR_MS };
/** `90m`, `6h`, `1d` → milliseconds, within [min, max] (given the same way). */
function duration(min: string, max: string) {
  const toMs = (text: string): number | null => {
    const match = /^(\d{1,4})\s*([mhd])$/i.exec(text.trim());
    return match ? Number(match[1]) * (unitMs[(match[2] ?? '').toLowerCase()] ?? 0) : null;
  };
  const [low, high] = [toMs(min) ?? 0, toMs(max) ?? 0];
  return z.string().transform((raw, ctx) => {
    const ms = toMs(raw);
    if (ms !== null && ms >= low && ms <= high) return ms;
    ctx.addIssue({ code: 'custom', message: `must be a duration from ${min} to ${max} such as 6h, 90m or 1d, got ${shown(raw)}` });
    return z.NEVER;
  });
}
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Messages follow the variable's name ("PORT must be …"), never repeat it, and never quote a secret.
const Env = z.object({
  DATABASE_PATH: z.string().min(1).default('./data/paperboy.db'),
  // Set: PostgreSQL (several replicas may share it); unset: SQLite at DATABASE_PATH.
  DATABASE_URL: z
    .string()
    // A space pasted around the URL would reach pg as part of the host ("ENOTFOUND base").
    .trim()
    // The value may hold a password: messages never quote it.
    .superRefine((raw, ctx) => {
      if (!/^postgres(ql)?:\/\//i.test(raw)) {
        ctx.addIssue({ code: 'custom', message: 'must be a PostgreSQL URL starting postgres:// or postgresql://, such as postgres://user@host:5432/paperboy' });
      } else if (!URL.canParse(raw)) {
        ctx.addIssue({
          code: 'custom',
          message: 'starts postgres:// but is not a valid URL: check the port (1 to 65535) and percent-encode @, :, / or # in the user name or password (such as postgres://user:p%40ss@host:5432/paperboy)',
        });
      }
    })
    .optional(),
  HF_BASE_URL: httpUrl('https://huggingface.co').default('https://huggingface.co'),
  HF_TOKEN: optionalString,
  INGEST_CRON: z
    .string()
    .default('*/30 * * * *')
    .refine((expr) => cron.validate(expr), expected("a cron expression such as '*/30 * * * *'")),
  CATCH_UP_DAYS: intFromEnv(0, 60).default(7),
  // At most one follow-up per digest post per interval (src/followups/).
  FOLLOWUP_INTERVAL: duration('30m', '7d').default(6 * HOUR_MS),
  // arXiv listings (src/arxiv/): empty = the source is off.
  ARXIV_CATEGORIES: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const categories = [...new Set(raw.split(',').map((c) => c.trim()).filter(Boolean))];
      const bad = categories.filter((c) => !isArxivCategory(c));
      if (bad.length === 0) return categories;
      ctx.addIssue({ code: 'custom', message: `must be comma-separated arXiv categories (archive or archive.SUBJECT, e.g. cs.CL,cs.LG,stat.ML or cs), got ${bad.slice(0, 3).map(shown).join(', ')}` });
      return z.NEVER;
    }),
  ARXIV_RSS_URL: httpUrl('https://rss.arxiv.org/rss/').default('https://rss.arxiv.org/rss/'),
  ARXIV_API_URL: httpUrl('https://export.arxiv.org/api/query').default('https://export.arxiv.org/api/query'),
  ARXIV_CRON: z
    .string()
    .default('0 * * * *')
    .refine((expr) => cron.validate(expr), expected("a cron expression such as '0 * * * *'")),
  FEED_TIMEOUT_MS: intFromEnv(100, 120_000, 'a whole number of milliseconds from 100 to 120000').default(15_000),
  BACKFILL_FROM: backfillFrom.default(ARCHIVE_START),
  HF_MAX_REQUESTS_PER_MINUTE: intFromEnv(1, 100_000).default(90),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,25}$/, expected("the application's numeric id")).optional(),
  DISCORD_API_URL: httpUrl('https://discord.com/api').default('https://discord.com/api'),
  // Both unset: one process holds every shard Discord recommends. Checked against each other in pairingProblems.
  DISCORD_SHARD_COUNT: intFromEnv(1, MAX_DISCORD_SHARDS, `a whole number of shards from 1 to ${MAX_DISCORD_SHARDS}`).optional(),
  DISCORD_SHARDS: z
    .string()
    .transform((raw, ctx) => {
      const ids = parseShardList(raw);
      if (ids) return ids;
      ctx.addIssue({ code: 'custom', message: `must be shard ids such as 0,1 or a range such as 0-3 (each id once), got ${shown(raw)}` });
      return z.NEVER;
    })
    .optional(),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must start with xoxb- (the Bot User OAuth Token)').optional(),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must start with xapp- (an app-level token)').optional(),
  SLACK_API_URL: httpUrl('https://slack.com/api/').default('https://slack.com/api/'),
  // Empty items (`U1,,U2`, a trailing comma) are ignored; anything else must be a user id.
  SLACK_ADMIN_USER_IDS: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const ids = raw.split(',').map((id) => id.trim()).filter(Boolean);
      const bad = ids.filter((id) => !SLACK_USER_ID.test(id));
      if (bad.length === 0) return ids;
      const what = 'comma-separated Slack user ids (U or W and uppercase letters or digits, e.g. U024BE7LH)';
      ctx.addIssue({ code: 'custom', message: `must be ${what}, got ${bad.slice(0, 3).map(shown).join(', ')}${bad.length > 3 ? ', …' : ''}` });
      return z.NEVER;
    }),
  PORT: port().default(3000),
  HEALTH_PORT: port().optional(),
  LOG_LEVEL: z.enum(logLevels, expected(`one of ${logLevels.join(', ')}`)).default('info'),
  MAX_WATCHES_PER_USER: intFromEnv(1, 1000).default(25),
  COMMAND_RATE_LIMIT: intFromEnv(1, 10_000).default(10),
  DEFAULT_DIGEST_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, expected('a time as HH:MM (00:00-23:59)')).default('09:00'),
  DEFAULT_TIMEZONE: z
    .string()
    .default('UTC')
    .refine((tz) => isValidTimeZone(tz), expected('an IANA time zone such as Europe/Berlin')),
});

/**
 * Variables that only work together. Checked on what is set, apart from the schema, so they are
 * reported along with any invalid value (zod skips refinements once a field has failed).
 */
function pairingProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) problems.push('DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set');
  if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
  }
  // Sharding only means something for a Discord bot: say so rather than ignore it unnoticed.
  const shardVars = ['DISCORD_SHARD_COUNT', 'DISCORD_SHARDS'].filter((name) => env[name]);
  if (shardVars.length > 0 && !env.DISCORD_TOKEN) {
    problems.push(`${shardVars.join(' and ')} ${shardVars.length > 1 ? 'are' : 'is'} set but DISCORD_TOKEN is not: shards need the Discord bot (unset ${shardVars.join(' and ')} to run without Discord)`);
  }
  const shards = env.DISCORD_SHARDS === undefined ? null : parseShardList(env.DISCORD_SHARDS);
  if (env.DISCORD_SHARDS && !env.DISCORD_SHARD_COUNT) {
    problems.push('DISCORD_SHARDS needs DISCORD_SHARD_COUNT (the total number of shards over all replicas)');
  }
  const count = Number(env.DISCORD_SHARD_COUNT);
  const beyond = shards && Number.isInteger(count) && count >= 1 ? shards.filter((id) => id >= count) : [];
  if (beyond.length > 0) {
    problems.push(`DISCORD_SHARDS lists shard ${beyond[0]}, but ids go from 0 to ${count - 1} with DISCORD_SHARD_COUNT=${count}`);
  }
  // Without the bot token Slack cannot start: say so rather than run in console mode unnoticed.
  for (const name of ['SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET']) {
    if (env[name] && !env.SLACK_BOT_TOKEN) problems.push(`${name} is set but SLACK_BOT_TOKEN is not: Slack needs both (unset ${name} to run without Slack)`);
  }
  return problems;
}

/**
 * `0,1`, `0-3` or both mixed (`0-2,5`) → the ids in order; null when malformed, a range runs
 * backwards, an id repeats or exceeds the limit.
 */
function parseShardList(raw: string): number[] | null {
  const ids: number[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    const match = /^(\d{1,6})(?:\s*-\s*(\d{1,6}))?$/.exec(item);
    if (!match) return null;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first || last >= MAX_DISCORD_SHARDS) return null;
    for (let id = first; id <= last; id += 1) ids.push(id);
  }
  return new Set(ids).size === ids.length ? ids.sort((a, b) => a - b) : null;
}

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
  const problems = [
    ...(result.error?.issues.map((issue) => `${issue.path.join('.') || 'env'} ${issue.message}`) ?? []),
    ...pairingProblems(cleaned),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
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
