import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { runCli } from '../support/run-cli.ts';

// `register-commands --guild ID` checks the id's shape (a Discord snowflake) before anything else.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-register-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// Discord at a closed port: nothing may reach it in these tests.
const discordEnv = { DISCORD_TOKEN: 'abc.def.ghi', DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_API_URL: 'http://127.0.0.1:9/api' };
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { env: { DATABASE_PATH: join(dir, 'paperboy.db'), LOG_LEVEL: 'warn', ...env }, cwd: dir, timeoutMs: 30_000 });

describe('paperboy register-commands --guild', { timeout: 60_000 }, () => {
  it('refuses an id that is not 17-20 digits as a usage error, with or without Discord configured', async () => {
    for (const [guild, env] of [['abc', discordEnv], ['123', discordEnv], ['123456789012345678901', {}], ['12345678901234567x', {}]] as const) {
      const result = await cli(['register-commands', '--guild', guild], env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`--guild must be a Discord server id (17-20 digits), got '${guild}'`);
    }
  });

  it('accepts a snowflake and goes on to the token check', async () => {
    const result = await cli(['register-commands', '--guild', '123456789012345678']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('register-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  });

  it('explains in one line that Discord could not be reached, naming the URL, exit 1', async () => {
    const refused = await cli(['register-commands'], discordEnv);
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toBe(
      'paperboy: could not reach Discord at http://127.0.0.1:9/api (ECONNREFUSED): check the network or DISCORD_API_URL; nothing was registered.\n',
    );
    // .invalid never resolves (RFC 6761); without DNS at all the lookup fails with EAI_AGAIN.
    const unknownHost = await cli(['register-commands', '--guild', '123456789012345678'], { ...discordEnv, DISCORD_API_URL: 'http://paperboy-test.invalid/api' });
    expect(unknownHost.code).toBe(1);
    expect(unknownHost.stderr).toMatch(
      /^paperboy: could not reach Discord at http:\/\/paperboy-test\.invalid\/api \((ENOTFOUND|EAI_AGAIN)\): check the network or DISCORD_API_URL; nothing was registered\.\n$/,
    );
  });
});

describe('paperboy register-commands when Discord refuses', { timeout: 60_000 }, () => {
  let discord: FakeDiscord;
  beforeAll(async () => {
    discord = await startFakeDiscord();
  });
  afterAll(() => discord.close());
  const env = () => ({ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl });

  it.each([
    [401, [], 'paperboy: Discord refused DISCORD_TOKEN (401 Unauthorized): copy the bot token again (Developer Portal → Bot → Reset Token); nothing was registered.'],
    [
      403,
      ['--guild', '123456789012345678'],
      'paperboy: Discord refused access to server 123456789012345678 (403 Missing Access): add the bot there with the link from paperboy invite-url (it grants applications.commands), or check the id; nothing was registered.',
    ],
    [404, [], 'paperboy: Discord refused application 100000000000000001 for this token (404 Unknown Application): DISCORD_APPLICATION_ID must be the Application ID of the bot whose token is DISCORD_TOKEN; nothing was registered.'],
  ])('%i: one line saying what to fix, exit 1', async (status, args, line) => {
    const message = { 401: '401: Unauthorized', 403: 'Missing Access', 404: 'Unknown Application' }[status];
    discord.fail('PUT', /\/commands$/, { kind: 'status', status, code: status === 401 ? 0 : 50001, message });
    const result = await cli(['register-commands', ...args], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${line}\n`);
  });
});
