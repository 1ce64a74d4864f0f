import { describe, expect, it } from 'vitest';
import { dispatchWithOutcome } from '../../commands/dispatch.ts';
import { alice, bob, commandDeps, general, run } from './harness.ts';

describe('dispatchCommand', () => {
  it('answers an unknown command with the list of commands', async () => {
    const reply = await run(commandDeps(), 'frobnicate');
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(reply.text).toMatch(/^Unknown command `frobnicate`\. Commands: today, trending, search, paper, similar, saved, .*\/papers help/);
  });

  it('rejects an unknown option with the usage line', async () => {
    const outcome = await dispatchWithOutcome(commandDeps(), { name: 'today', rawOptions: { colour: 'red' }, user: alice, channel: general, isAdmin: false });
    expect(outcome).toMatchObject({ ok: false, kind: 'user', code: 'bad_option' });
    expect(outcome.message.text).toBe('Unknown option `colour`: today takes limit, sort, source.\nUsage: /papers today [limit=1-25] [sort=upvotes|new|rising] [source=hf|arxiv]');
  });

  it('names the missing required option', async () => {
    const reply = await run(commandDeps(), 'search', {});
    expect(reply.text).toBe('`query` is required.\nUsage: /papers search <query> [limit=1-25]');
  });

  it('names the enum choices', async () => {
    const reply = await run(commandDeps(), 'today', { sort: 'best' });
    expect(reply.text.split('\n')[0]).toBe('`sort` must be one of: upvotes, new, rising (you gave `best`).');
  });

  it('logs an unexpected failure with a ref and tells the user only the ref', async () => {
    const deps = commandDeps();
    deps.db.$client.close();
    const outcome = await dispatchWithOutcome(deps, { name: 'today', rawOptions: {}, user: alice, channel: general, isAdmin: false });
    expect(outcome.ok).toBe(false);
    if (outcome.ok || outcome.kind !== 'internal') throw new Error('expected an internal failure');
    expect(outcome.ref).toMatch(/^[0-9a-f]{4}$/);
    expect(outcome.message).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(outcome.message.text).toBe(`Something went wrong (ref ${outcome.ref}). It has been logged; please try again in a moment.`);
    const logged = deps.logLines().find((line) => line.msg === 'command failed');
    expect(logged).toMatchObject({ ref: outcome.ref, command: 'today', userId: alice.id, platform: 'discord' });
    expect(JSON.stringify(logged)).toMatch(/database connection is not open/);
  });

  it('limits each user to COMMAND_RATE_LIMIT commands a minute, with a friendly reply', async () => {
    const deps = commandDeps({ COMMAND_RATE_LIMIT: '3' });
    for (let i = 0; i < 3; i += 1) expect((await run(deps, 'help')).kind).toBe('help');
    const limited = await run(deps, 'help');
    expect(limited).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(limited.text).toBe('You are sending commands faster than I can take them (3 a minute). Try again in 60 s.');
    expect((await run(deps, 'help', {}, { user: bob })).kind).toBe('help');
    deps.clock.advance(61_000);
    expect((await run(deps, 'help')).kind).toBe('help');
  });

  it('does not rate-limit the console operator', async () => {
    const deps = commandDeps({ COMMAND_RATE_LIMIT: '1' });
    const consoleUser = { platform: 'console' as const, id: 'console' };
    const consoleChannel = { platform: 'console' as const, id: 'console', isDm: false };
    for (let i = 0; i < 5; i += 1) expect((await run(deps, 'help', {}, { user: consoleUser, channel: consoleChannel })).kind).toBe('help');
  });

  it('appends the closed-DM notice once, and clears the mark', async () => {
    const deps = commandDeps();
    await deps.store.markDmClosed(alice, deps.clock.now());
    const first = await run(deps, 'help');
    expect(first.footer).toMatch(/could not send you a direct message.*DMs are closed/);
    const second = await run(deps, 'help');
    expect(second.footer ?? '').not.toMatch(/direct message/);
    const row = deps.db.$client.prepare('SELECT dm_closed_at FROM users WHERE user_id = ?').get(alice.id);
    expect(row).toEqual({ dm_closed_at: null });
  });

  it('keeps personal replies private whatever the command built', async () => {
    const reply = await run(commandDeps(), 'watches');
    expect(reply.visibility).toBe('private');
  });

  it('accepts names with odd case and spacing', async () => {
    const reply = await run(commandDeps(), '  Digest   SHOW ', {}, { isAdmin: true });
    expect(reply.text).toMatch(/This channel has no digest/);
  });
});
