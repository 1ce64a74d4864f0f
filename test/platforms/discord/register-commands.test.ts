import { ApplicationCommandOptionType } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { optionSpecs } from '../../../commands/option-specs.ts';
import { commandsPayload } from '../../../src/platforms/discord/commands-payload.ts';
import { BOT_PERMISSIONS, COMMANDS_HASH_KEY, inviteUrl, registerCommands } from '../../../src/platforms/discord/register-commands.ts';
import { createTestStore } from '../../support/test-db.ts';
import { startHarness, type Harness } from './discord-harness.ts';
import { chatInput, member } from './interaction-payloads.ts';

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

const typeOf = { string: ApplicationCommandOptionType.String, integer: ApplicationCommandOptionType.Integer, number: ApplicationCommandOptionType.Number, boolean: ApplicationCommandOptionType.Boolean };

describe('the /papers registration payload', () => {
  it('has one subcommand per definition, digest ones in a group, options as the zod schemas say', () => {
    const [papers] = commandsPayload('global');
    expect(papers?.name).toBe('papers');
    expect(papers?.default_member_permissions).toBeNull();
    expect(papers?.contexts).toEqual([0, 1]);
    const top = papers?.options ?? [];
    const digest = top.find((option) => option.name === 'digest');
    expect(digest?.type).toBe(ApplicationCommandOptionType.SubcommandGroup);
    expect(digest && 'options' in digest ? digest.options?.map((o) => o.name) : []).toEqual(['set', 'show', 'off', 'preview']);

    for (const definition of commands) {
      const [first = '', second] = definition.name.split(' ');
      const container = second ? top.find((option) => option.name === first) : undefined;
      const sub = second ? (container && 'options' in container ? container.options?.find((o) => o.name === second) : undefined) : top.find((o) => o.name === first);
      expect(sub?.type, definition.name).toBe(ApplicationCommandOptionType.Subcommand);
      expect(sub?.description).toBe(definition.description.slice(0, 100));
      const registered = sub && 'options' in sub ? (sub.options ?? []) : [];
      const specs = optionSpecs(definition.options);
      expect(registered.map((o) => o.name).sort(), definition.name).toEqual(specs.map((s) => s.name).sort());
      // Required options come first, as Discord demands.
      const firstOptional = registered.findIndex((o) => !o.required);
      if (firstOptional >= 0) expect(registered.slice(firstOptional).every((o) => !o.required)).toBe(true);
      for (const spec of specs) {
        const option = registered.find((o) => o.name === spec.name);
        expect(option?.type, `${definition.name} ${spec.name}`).toBe(typeOf[spec.type]);
        expect(option?.required).toBe(spec.required);
        expect(option?.description.length).toBeLessThanOrEqual(100);
        const completes = Object.keys(definition.autocomplete ?? {}).includes(spec.name);
        if (option && 'min_value' in option) expect(option.min_value).toBe(spec.min);
        if (option && 'max_value' in option) expect(option.max_value).toBe(spec.max);
        if (spec.type === 'integer' && spec.min !== undefined) expect(option && 'min_value' in option && option.min_value).toBe(spec.min);
        if (spec.maxLength !== undefined) expect(option && 'max_length' in option && option.max_length).toBe(spec.maxLength);
        if (spec.choices) expect(option && 'choices' in option ? option.choices?.map((c) => c.value) : []).toEqual(spec.choices);
        else if (spec.type === 'string') expect(option && 'autocomplete' in option && option.autocomplete).toBe(completes);
      }
    }
  });

  it('guild payloads carry no contexts or integration types', () => {
    const [papers] = commandsPayload('guild');
    expect(papers && 'contexts' in papers).toBe(false);
    expect(papers && 'integration_types' in papers).toBe(false);
  });

  it('the invite URL asks for bot + applications.commands and the four permissions', () => {
    const url = new URL(inviteUrl({ DISCORD_APPLICATION_ID: '123456789012345678' }));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('123456789012345678');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('permissions')).toBe('309237664768');
    expect(BOT_PERMISSIONS).toBe(309237664768n);
  });
});

describe('registering with Discord', () => {
  it('registers globally at start-up, then only when the definitions changed', async () => {
    const store = createTestStore();
    const first = await startHarness({ store });
    open.push(first);
    const put = await first.fake.waitForRequest((r) => r.method === 'PUT');
    expect(put.path).toBe(`/applications/${first.fake.applicationId}/commands`);
    expect(put.authorization).toBe(`Bot ${first.fake.token}`);
    expect(put.body).toEqual(JSON.parse(JSON.stringify(commandsPayload('global'))));
    await first.close();
    open.pop();

    // Same definitions, same database: no PUT.
    const second = await startHarness({ store });
    open.push(second);
    expect(second.fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    await second.close();
    open.pop();

    // A different stored hash (older definitions): registered again.
    await store.setMeta(COMMANDS_HASH_KEY, 'older', first.deps.clock.now());
    const third = await startHarness({ store });
    open.push(third);
    await third.fake.waitForRequest((r) => r.method === 'PUT');
  });

  it('register-commands --guild PUTs to the guild route and leaves the global hash alone', async () => {
    const h = await startHarness({ register: false });
    open.push(h);
    const names = await registerCommands(h.deps, { guildId: '300000000000000001' });
    expect(names).toEqual(['papers']);
    const put = await h.fake.waitForRequest((r) => r.method === 'PUT');
    expect(put.path).toBe(`/applications/${h.fake.applicationId}/guilds/300000000000000001/commands`);
    expect(put.body).toEqual(JSON.parse(JSON.stringify(commandsPayload('guild'))));
    expect(await h.deps.store.getMeta(COMMANDS_HASH_KEY)).toBeNull();
  });

  it('a refused registration is logged; the bot still starts and answers', async () => {
    const h = await startHarness({
      beforeStart: (fake) => fake.fail('PUT', /commands$/, { kind: 'status', status: 400, code: 50035, message: 'Invalid Form Body' }),
    });
    open.push(h);
    expect(h.deps.logLines().map((line) => line.msg)).toContain('could not register slash commands');
    expect(await h.deps.store.getMeta(COMMANDS_HASH_KEY)).toBeNull();
    const reply = await h.interact(chatInput(h.fake.applicationId, member(), 'help'));
    expect(reply.type).toBe(4);
  });
});
