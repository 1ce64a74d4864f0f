import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
