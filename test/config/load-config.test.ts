import { describe, expect, it } from 'vitest';
import { ConfigError, enabledPlatforms, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('fills defaults from an empty environment (console mode)', () => {
    const config = loadConfig({});
    expect(config.DATABASE_PATH).toBe('./data/paperboy.db');
    expect(config.HF_BASE_URL).toBe('https://huggingface.co');
    expect(config.INGEST_CRON).toBe('*/30 * * * *');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.MAX_WATCHES_PER_USER).toBe(25);
    expect(enabledPlatforms(config)).toEqual(['console']);
  });

  it('treats KEY= as unset', () => {
    const config = loadConfig({ DISCORD_TOKEN: '', HF_BASE_URL: '  ', LOG_LEVEL: '' });
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.HF_BASE_URL).toBe('https://huggingface.co');
  });

  it('says what is wrong with a DATABASE_URL without quoting it (it may hold a password)', () => {
    const problemsOf = (url: string): string[] => {
      try {
        loadConfig({ DATABASE_URL: url });
        return [];
      } catch (err) {
        return err instanceof ConfigError ? err.problems : [String(err)];
      }
    };
    expect(problemsOf('mysql://root:secret@db/paperboy')).toEqual([
      'DATABASE_URL must be a PostgreSQL URL starting postgres:// or postgresql://, such as postgres://user@host:5432/paperboy',
    ]);
    // It does start postgres://: the port (or an unencoded password) is the problem, not the scheme.
    for (const url of ['postgres://postgres:s3cret@127.0.0.1:99999/test', 'postgres://u:p@ss@[host/db']) {
      const [problem, ...rest] = problemsOf(url);
      expect(rest).toEqual([]);
      expect(problem).toMatch(/^DATABASE_URL starts postgres:\/\/ but is not a valid URL: check the port/);
      expect(problem).not.toMatch(/s3cret|p@ss/);
    }
    expect(loadConfig({ DATABASE_URL: ' POSTGRESQL://127.0.0.1:5432/test ' }).DATABASE_URL).toBe('POSTGRESQL://127.0.0.1:5432/test');
  });

  it('reports every problem at once, each naming its variable', () => {
    let error: unknown;
    try {
      loadConfig({
        HF_BASE_URL: 'not a url',
        INGEST_CRON: 'every day',
        LOG_LEVEL: 'loud',
        SLACK_BOT_TOKEN: 'nope',
        DEFAULT_TIMEZONE: 'Mars/Olympus',
        MAX_WATCHES_PER_USER: 'many',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['HF_BASE_URL', 'INGEST_CRON', 'LOG_LEVEL', 'SLACK_BOT_TOKEN', 'DEFAULT_TIMEZONE', 'MAX_WATCHES_PER_USER']) {
      expect(problems).toContain(name);
    }
  });

  it('requires the Discord application id with a Discord token', () => {
    expect(() => loadConfig({ DISCORD_TOKEN: 'abc.def.ghi' })).toThrow(/DISCORD_APPLICATION_ID/);
  });

  it('refuses Discord shard settings without a Discord token, naming them', () => {
    expect(() => loadConfig({ DISCORD_SHARD_COUNT: '2' })).toThrow(/DISCORD_SHARD_COUNT is set but DISCORD_TOKEN is not/);
    expect(() => loadConfig({ DISCORD_SHARD_COUNT: '2', DISCORD_SHARDS: '0' })).toThrow(/DISCORD_SHARD_COUNT and DISCORD_SHARDS are set but DISCORD_TOKEN is not/);
    expect(() => loadConfig({ DISCORD_TOKEN: 'abc.def.ghi', DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_SHARD_COUNT: '2' })).not.toThrow();
  });

  it('requires an app token or signing secret with a Slack bot token', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_APP_TOKEN/);
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(enabledPlatforms(config)).toEqual(['slack']);
  });

  it('enables both platforms in one process', () => {
    const config = loadConfig({
      DISCORD_TOKEN: 'abc.def.ghi',
      DISCORD_APPLICATION_ID: '123456789012345678',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'shh',
    });
    expect(enabledPlatforms(config)).toEqual(['discord', 'slack']);
  });

  it('parses the Slack admin list, ignoring empty items between commas', () => {
    expect(loadConfig({ SLACK_ADMIN_USER_IDS: 'U024BE7LH, W0123ABCD ,,U0456EFGH,' }).SLACK_ADMIN_USER_IDS).toEqual(['U024BE7LH', 'W0123ABCD', 'U0456EFGH']);
  });

  it('refuses Slack admin ids that are not Slack user ids, in one problem naming the variable', () => {
    expect(problemsFor({ SLACK_ADMIN_USER_IDS: 'u1,,x' })).toEqual([
      "SLACK_ADMIN_USER_IDS must be comma-separated Slack user ids (U or W and uppercase letters or digits, e.g. U024BE7LH), got 'u1', 'x'",
    ]);
    expect(problemsFor({ SLACK_ADMIN_USER_IDS: 'U024BE7LH,C0123ABCD' })).toEqual([
      "SLACK_ADMIN_USER_IDS must be comma-separated Slack user ids (U or W and uppercase letters or digits, e.g. U024BE7LH), got 'C0123ABCD'",
    ]);
  });

  it('says what each numeric, enum, URL and format variable must be, quoting the value it got', () => {
    const problems = problemsFor({
      PORT: 'abc',
      HEALTH_PORT: '70000',
      CATCH_UP_DAYS: '1.5',
      FEED_TIMEOUT_MS: 'soon',
      MAX_WATCHES_PER_USER: '0',
      COMMAND_RATE_LIMIT: '-3',
      LOG_LEVEL: 'loud',
      HF_BASE_URL: 'huggingface.co',
      DISCORD_API_URL: 'ftp://discord.com',
      SLACK_API_URL: 'not a url',
      INGEST_CRON: 'every day',
      DEFAULT_DIGEST_TIME: '9am',
      DEFAULT_TIMEZONE: 'Mars/Olympus',
      DISCORD_APPLICATION_ID: 'my-app',
    });
    expect(problems).toContain("PORT must be a port number (0-65535), got 'abc'");
    expect(problems).toContain("HEALTH_PORT must be a port number (0-65535), got '70000'");
    expect(problems).toContain("CATCH_UP_DAYS must be a whole number from 0 to 60, got '1.5'");
    expect(problems).toContain("FEED_TIMEOUT_MS must be a whole number of milliseconds from 100 to 120000, got 'soon'");
    expect(problems).toContain("MAX_WATCHES_PER_USER must be a whole number from 1 to 1000, got '0'");
    expect(problems).toContain("COMMAND_RATE_LIMIT must be a whole number from 1 to 10000, got '-3'");
    expect(problems).toContain("LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'");
    expect(problems).toContain("HF_BASE_URL must be an http(s) URL such as https://huggingface.co, got 'huggingface.co'");
    expect(problems).toContain("DISCORD_API_URL must be an http(s) URL such as https://discord.com/api, got 'ftp://discord.com'");
    expect(problems).toContain("SLACK_API_URL must be an http(s) URL such as https://slack.com/api/, got 'not a url'");
    expect(problems).toContain("INGEST_CRON must be a cron expression such as '*/30 * * * *', got 'every day'");
    expect(problems).toContain("DEFAULT_DIGEST_TIME must be a time as HH:MM (00:00-23:59), got '9am'");
    expect(problems).toContain("DEFAULT_TIMEZONE must be an IANA time zone such as Europe/Berlin, got 'Mars/Olympus'");
    expect(problems).toContain("DISCORD_APPLICATION_ID must be the application's numeric id, got 'my-app'");
    expect(problems.every((line) => !/Invalid input|received NaN|expected number/.test(line))).toBe(true);
  });

  it('never quotes a token back, and cuts a long value short', () => {
    const problems = problemsFor({ SLACK_BOT_TOKEN: 'secret-bot-token', SLACK_APP_TOKEN: 'secret-app-token', LOG_LEVEL: 'x'.repeat(500) });
    expect(problems.join('\n')).not.toContain('secret-');
    expect(problems).toContain('SLACK_BOT_TOKEN must start with xoxb- (the Bot User OAuth Token)');
    expect(problems).toContain('SLACK_APP_TOKEN must start with xapp- (an app-level token)');
    expect(problems.every((line) => line.length < 200)).toBe(true);
    // A newline or a direction override is shown, not obeyed or hidden.
    expect(problemsFor({ DEFAULT_TIMEZONE: 'Europe/\nKyiv\u202e' })).toEqual(["DEFAULT_TIMEZONE must be an IANA time zone such as Europe/Berlin, got 'Europe/\\u000aKyiv\\u202e'"]);
  });

  it('names each variable once per problem', () => {
    const problems = [
      ...problemsFor({ SLACK_BOT_TOKEN: 'xoxb-1' }),
      ...problemsFor({ DISCORD_TOKEN: 'abc.def.ghi' }),
      ...problemsFor({ PORT: 'abc', LOG_LEVEL: 'loud', HF_BASE_URL: 'x', INGEST_CRON: 'x', DEFAULT_TIMEZONE: 'x' }),
    ];
    expect(problems.length).toBeGreaterThan(0);
    for (const line of problems) {
      const name = line.split(' ')[0] ?? '';
      expect(line.split(name).length - 1, line).toBe(1);
    }
    expect(problemsFor({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual(['SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)']);
  });

  it('reports a missing partner variable along with an invalid value', () => {
    expect(problemsFor({ PORT: 'abc', SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      "PORT must be a port number (0-65535), got 'abc'",
      'SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)',
    ]);
  });

  it('refuses a Slack app token or signing secret without the bot token instead of ignoring it', () => {
    expect(problemsFor({ SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Slack needs both (unset SLACK_APP_TOKEN to run without Slack)']);
    expect(problemsFor({ SLACK_SIGNING_SECRET: 'shh' })).toEqual([
      'SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not: Slack needs both (unset SLACK_SIGNING_SECRET to run without Slack)',
    ]);
  });
});

function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

