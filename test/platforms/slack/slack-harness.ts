import { z } from 'zod';
import { startSlack, type SlackAdapter } from '../../../src/platforms/slack/start-slack.ts';
import { FAKE_APP_TOKEN, FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { testDeps, type TestDeps } from '../../support/test-deps.ts';
import { allStrings, formBody, postSigned, SIGNING_SECRET, slashCommand, type SlashInput } from './slack-test-kit.ts';

// The real adapter (Bolt, WebClient, Socket Mode client) against the fake Slack, in either mode,
// with one way to run a slash command or click a button whichever transport carries it.

export type Mode = 'http' | 'socket';

export type Reply = { responseType: string | undefined; replaceOriginal: boolean | undefined; text: string; blocks: unknown[]; all: string };

const ReplyBody = z.looseObject({
  response_type: z.string().optional(),
  replace_original: z.boolean().optional(),
  text: z.string().default(''),
  blocks: z.array(z.unknown()).default([]),
});

export function readReply(body: Record<string, unknown>): Reply {
  const parsed = ReplyBody.parse(body);
  return {
    responseType: parsed.response_type,
    replaceOriginal: parsed.replace_original,
    text: parsed.text,
    blocks: parsed.blocks,
    all: [parsed.text, ...allStrings(parsed.blocks)].join('\n'),
  };
}

export type Harness = {
  mode: Mode;
  fake: FakeSlack;
  deps: TestDeps;
  slack: SlackAdapter;
  eventsUrl: string;
  /** Runs `/papers <text>`; resolves when the ack arrived (HTTP 200 / Socket Mode ack). */
  sendCommand(text: string, input?: Partial<SlashInput>): Promise<{ responseId: string; status: number }>;
  /** Runs a command and waits for its reply through the response_url. */
  command(text: string, input?: Partial<SlashInput>): Promise<Reply>;
  /** Delivers a block_actions payload (button click); resolves when acked. */
  interact(payload: Record<string, unknown>): Promise<void>;
  /** Delivers an Events API event callback; resolves when acked. */
  event(body: Record<string, unknown>): Promise<void>;
  reply(responseId: string, index?: number): Promise<Reply>;
  close(): Promise<void>;
};

export async function startHarness(mode: Mode, options: { env?: Record<string, string>; now?: string; fake?: FakeSlack } = {}): Promise<Harness> {
  const fake = options.fake ?? (await startFakeSlack());
  const transport: Record<string, string> = mode === 'socket' ? { SLACK_APP_TOKEN: FAKE_APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET };
  const deps = testDeps({
    env: { SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: fake.apiUrl, PORT: '0', ...transport, ...options.env },
    ...(options.now ? { now: options.now } : {}),
  });
  const slack = await startSlack(deps, { host: '127.0.0.1' });
  const eventsUrl = `http://127.0.0.1:${slack.port ?? 0}/slack/events`;

  async function deliver(kind: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>, httpBody: () => [string, string]): Promise<number> {
    if (mode === 'socket') {
      await fake.sendEnvelope(kind, payload).acked;
      return 200;
    }
    const [body, contentType] = httpBody();
    const response = await postSigned(eventsUrl, body, contentType);
    await response.text();
    return response.status;
  }

  const harness: Harness = {
    mode,
    fake,
    deps,
    slack,
    eventsUrl,
    async sendCommand(text, input = {}) {
      const response = fake.newResponseUrl();
      const fields = slashCommand({ text, responseUrl: response.url, ...input });
      const status = await deliver('slash_commands', fields, () => [formBody(fields), 'application/x-www-form-urlencoded']);
      return { responseId: response.id, status };
    },
    async command(text, input = {}) {
      const { responseId, status } = await harness.sendCommand(text, input);
      if (status !== 200) throw new Error(`slash command answered HTTP ${status}`);
      return harness.reply(responseId);
    },
    async interact(payload) {
      const status = await deliver('interactive', payload, () => [formBody({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded']);
      if (status !== 200) throw new Error(`interaction answered HTTP ${status}`);
    },
    async event(body) {
      const status = await deliver('events_api', body, () => [JSON.stringify(body), 'application/json']);
      if (status !== 200) throw new Error(`event answered HTTP ${status}`);
    },
    async reply(responseId, index = 0) {
      const body = await fake.waitFor(() => fake.responses(responseId)[index], `response ${responseId}#${index}`);
      return readReply(body);
    },
    async close() {
      await slack.stop();
      await fake.close();
    },
  };
  return harness;
}
