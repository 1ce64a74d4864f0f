import type { CommandChannel, CommandUser } from '../../commands/define-command.ts';
import { dispatchCommand } from '../../commands/dispatch.ts';
import type { FeedPaper } from '../../src/papers/feed-paper.ts';
import type { Message } from '../../src/messages/message.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';

export const alice: CommandUser = { platform: 'discord', id: 'U-alice' };
export const bob: CommandUser = { platform: 'discord', id: 'U-bob' };
export const general: CommandChannel = { platform: 'discord', id: 'C-general', workspaceId: 'G1', isDm: false };

/** Test deps at 2026-09-01 10:00 UTC, with a generous command budget unless a test sets one. */
export function commandDeps(env: Record<string, string> = {}): TestDeps {
  return testDeps({ env: { COMMAND_RATE_LIMIT: '1000', ...env }, now: '2026-09-01T10:00:00Z' });
}

export async function seed(deps: TestDeps, feedDate: string, papers: FeedPaper[]): Promise<void> {
  await deps.store.upsertPapers(feedDate, papers, deps.clock.now());
}

export function run(
  deps: TestDeps,
  name: string,
  rawOptions: Record<string, unknown> = {},
  as: { user?: CommandUser; channel?: CommandChannel; isAdmin?: boolean } = {},
): Promise<Message> {
  return dispatchCommand(deps, { name, rawOptions, user: as.user ?? alice, channel: as.channel ?? general, isAdmin: as.isAdmin ?? false });
}
