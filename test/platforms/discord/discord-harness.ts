import { z } from 'zod';
import { startDiscord, type RunningDiscord, type StartDiscordOptions } from '../../../src/platforms/discord/start-discord.ts';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../../support/fake-discord.ts';
import { testDeps, type TestDeps } from '../../support/test-deps.ts';

// The real discord.js client logged into the fake Discord, with the real dispatcher and a test
// database behind it. `interact` dispatches one INTERACTION_CREATE and returns what the bot
// answered to Discord.

export const Embed = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  url: z.string().optional(),
  fields: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  footer: z.object({ text: z.string() }).optional(),
});

const Button = z.object({ type: z.literal(2), custom_id: z.string().optional(), label: z.string().optional(), disabled: z.boolean().optional() });

export const MessageData = z.object({
  embeds: z.array(Embed).default([]),
  components: z.array(z.object({ type: z.literal(1), components: z.array(Button) })).default([]),
  flags: z.number().optional(),
  allowed_mentions: z.object({ parse: z.array(z.string()) }).optional(),
  choices: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]) })).optional(),
});
export type MessageData = z.infer<typeof MessageData>;

const Callback = z.object({ type: z.number(), data: MessageData.optional() });
export type Callback = z.infer<typeof Callback>;

export const EPHEMERAL = 1 << 6;

export type Harness = {
  fake: FakeDiscord;
  deps: TestDeps;
  discord: RunningDiscord;
  /** Dispatches the interaction and resolves with the bot's callback (type + data). */
  interact(payload: { id: string; token: string }): Promise<Callback>;
  /** A later request for this interaction's webhook (edit/follow-up/delete of a deferred reply). */
  webhook(payload: { token: string }, method: string, original: boolean): Promise<RecordedRequest>;
  close(): Promise<void>;
};

export type HarnessOptions = StartDiscordOptions & {
  now?: string;
  store?: SqliteStore;
  env?: Record<string, string>;
  /** Set up faults before the client logs in (and registers). */
  beforeStart?: (fake: FakeDiscord) => void;
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeDiscord();
  options.beforeStart?.(fake);
  const deps = testDeps({
    now: options.now,
    store: options.store,
    env: { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, ...options.env },
  });
  let discord: RunningDiscord;
  try {
    discord = await startDiscord(deps, options);
  } catch (err) {
    await fake.close();
    throw err;
  }
  return {
    fake,
    deps,
    discord,
    async interact(payload) {
      const path = `/interactions/${payload.id}/${payload.token}/callback`;
      fake.dispatchInteraction(payload);
      const request = await fake.waitForRequest((r) => r.method === 'POST' && r.path === path);
      return Callback.parse(request.body);
    },
    webhook(payload, method, original) {
      const base = `/webhooks/${fake.applicationId}/${payload.token}`;
      const path = original ? `${base}/messages/@original` : base;
      return fake.waitForRequest((r) => r.method === method && r.path === path);
    },
    async close() {
      await discord.stop();
      await fake.close();
    },
  };
}

/** Everything a message shows, as one string (titles, descriptions, fields, footers). */
export function textOf(data: MessageData | undefined): string {
  return (data?.embeds ?? [])
    .flatMap((embed) => [embed.title, embed.description, ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]), embed.footer?.text])
    .filter((part): part is string => typeof part === 'string')
    .join('\n');
}

export function buttonIds(data: MessageData | undefined): string[] {
  return (data?.components ?? []).flatMap((row) => row.components.map((button) => button.custom_id ?? ''));
}

export function isEphemeral(data: MessageData | undefined): boolean {
  return ((data?.flags ?? 0) & EPHEMERAL) !== 0;
}
