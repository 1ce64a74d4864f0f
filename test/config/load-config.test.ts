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

  it('parses the Slack admin list', () => {
    expect(loadConfig({ SLACK_ADMIN_USER_IDS: 'U1, U2 ,,U3' }).SLACK_ADMIN_USER_IDS).toEqual(['U1', 'U2', 'U3']);
  });
});
