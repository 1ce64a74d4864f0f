import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { commandDeps, run } from './harness.ts';

describe('/papers help', () => {
  it('gives a usage line for every command and the query language, privately', async () => {
    const reply = await run(commandDeps(), 'help');
    expect(reply).toMatchObject({ kind: 'help', visibility: 'private' });
    for (const command of commands) expect(reply.text).toContain(`/papers ${command.name}`);
    expect(reply.text).toContain('/papers search <query> [limit=1-25]');
    expect(reply.text).toContain('/papers digest set [time=HH:MM] [timezone=Area/City] [top=1-25]');
    expect(reply.text).toContain('author:"Jane Doe"');
    expect(reply.text).toContain('min:N');
  });

  it('explains one command, or a group of them, as `help watch` or `help digest` on Slack and the console', async () => {
    expect(parseCommandText('help watch')).toEqual({ name: 'help', rawOptions: { command: 'watch' } });
    const watch = await run(commandDeps(), 'help', { command: 'watch' });
    expect(watch).toMatchObject({ kind: 'help', visibility: 'private', title: 'paperboy: watch' });
    expect(watch.text).toMatch(/^\/papers watch <query>/);
    expect(watch.text).toContain('Examples:');
    expect(watch.text).toContain('author:"Jane Doe"');
    expect(watch.text).not.toContain('/papers today');
    const digest = await run(commandDeps(), 'help', { command: '/papers Digest' });
    for (const name of ['digest set', 'digest show', 'digest off', 'digest preview']) expect(digest.text).toContain(`/papers ${name}`);
    const unknown = await run(commandDeps(), 'help', { command: 'frob`nicate' });
    expect(unknown).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(unknown.text).toMatch(/^There is no command `frobnicate`\. Commands: today, /);
  });

  it('every option of every command is described (it becomes Discord’s option description)', () => {
    for (const command of commands) {
      for (const [name, field] of Object.entries(command.options.shape)) {
        expect(field.description, `${command.name} ${name}`).toBeTruthy();
      }
    }
  });
  it('says what key:value does in search, watch and unwatch, as the parser does it', async () => {
    const text = (await run(commandDeps(), 'help')).text;
    expect(parseCommandText('search limit:2 min:5 author:doe diffusion')).toEqual({ name: 'search', rawOptions: { query: 'min:5 author:doe diffusion', limit: '2' } });
    expect(text).not.toContain('key:value stays part of the query');
    expect(text).toContain('author:, org:, since:, min:, cat: and source: stay part of the query (min:5 means upvotes); other key:value set an option (search limit:5 diffusion)');
  });
});
