import { createHmac } from 'node:crypto';
import type { Message, PaperCard } from '../../../src/messages/message.ts';
import { message } from '../../../src/messages/message.ts';
import { FAKE_TEAM } from '../../support/fake-slack.ts';

// Helpers shared by the Slack tests: signed HTTP requests like Slack sends them, payload
// builders for slash commands, button clicks and events, and message/card builders.

export const SIGNING_SECRET = 'fake-signing-secret-0123456789';

export function signature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** POSTs to Bolt's /slack/events as Slack would; override or drop the signature headers to test verification. */
export async function postSigned(
  url: string,
  rawBody: string,
  contentType: string,
  options: { secret?: string; timestamp?: number; signature?: string | null } = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp) };
  const sig = options.signature === undefined ? signature(options.secret ?? SIGNING_SECRET, timestamp, rawBody) : options.signature;
  if (sig !== null) headers['x-slack-signature'] = sig;
  return fetch(url, { method: 'POST', headers, body: rawBody });
}

export type SlashInput = { text: string; user?: string; channel?: string; channelName?: string; responseUrl: string };

/** The fields of a slash command payload (form-encoded over HTTP, an object over Socket Mode). */
export function slashCommand(input: SlashInput): Record<string, string> {
  return {
    token: 'verification-token-unused',
    team_id: FAKE_TEAM,
    team_domain: 'fake',
    channel_id: input.channel ?? 'C0DIGEST',
    channel_name: input.channelName ?? 'papers',
    user_id: input.user ?? 'U0ALICE',
    user_name: 'alice',
    command: '/papers',
    text: input.text,
    api_app_id: 'AFAKE',
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: '1.2.3',
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A button click (block_actions) on a message. */
export function buttonClick(input: { actionId: string; value: string; user?: string; channel?: string; responseUrl: string }): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: input.user ?? 'U0ALICE', username: 'alice', name: 'alice', team_id: FAKE_TEAM },
    api_app_id: 'AFAKE',
    token: 'verification-token-unused',
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: input.channel ?? 'C0DIGEST', is_ephemeral: true },
    trigger_id: '1.2.3',
    team: { id: FAKE_TEAM, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel ?? 'C0DIGEST', name: 'papers' },
    response_url: input.responseUrl,
    actions: [{ action_id: input.actionId, block_id: 'b1', value: input.value, type: 'button', action_ts: '1700000000.1' }],
  };
}

/** A click in App Home (no channel, no response_url). */
export function homeClick(input: { actionId: string; value: string; user: string }): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: input.user, username: 'alice', name: 'alice', team_id: FAKE_TEAM },
    api_app_id: 'AFAKE',
    token: 'verification-token-unused',
    container: { type: 'view', view_id: 'V1' },
    trigger_id: '1.2.3',
    team: { id: FAKE_TEAM, domain: 'fake' },
    view: { id: 'V1', type: 'home', team_id: FAKE_TEAM },
    actions: [{ action_id: input.actionId, block_id: 'b1', value: input.value, type: 'button', action_ts: '1700000000.1' }],
  };
}

export function appHomeOpened(user: string): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: FAKE_TEAM,
    api_app_id: 'AFAKE',
    event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: '1700000000.2' },
    type: 'event_callback',
    event_id: 'Ev1',
    event_time: 1_700_000_000,
    authorizations: [{ enterprise_id: null, team_id: FAKE_TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  };
}

let cardCounter = 0;

export function aCard(overrides: Partial<PaperCard> = {}): PaperCard {
  cardCounter += 1;
  const id = `2609.${String(20000 + cardCounter)}`;
  return {
    id,
    title: `Card number ${cardCounter}`,
    url: `https://huggingface.co/papers/${id}`,
    arxivUrl: `https://arxiv.org/abs/${id}`,
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    thumbnailUrl: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    organization: 'Analytical Engines',
    upvotes: 10,
    comments: 2,
    github: { url: 'https://github.com/example/repo', stars: 120 },
    projectPage: null,
    summary: 'We study things. The results are good.',
    feedDate: '2026-08-31',
    publishedAt: null,
    ...overrides,
  };
}

export function aDigest(papers: PaperCard[], overrides: Partial<Message> = {}): Message {
  return message({ kind: 'digest', visibility: 'public', title: 'Daily papers — 31 Aug 2026', titleUrl: 'https://huggingface.co/papers/date/2026-08-31', text: `Top ${papers.length}.`, papers, ...overrides });
}

/** Every string anywhere in a JSON-like value (to look for forbidden markup). */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(allStrings);
  return [];
}
