import type { App } from '@slack/bolt';
import { turnPage } from '../../../commands/dispatch.ts';
import type { Deps } from '../../deps.ts';
import { errorMessage } from '../../messages/message.ts';
import { decodePageValue, PAGE_ACTION_PATTERN } from './paging-buttons.ts';
import { respondMessage } from './respond-message.ts';
import { BlockActionBody, slackChannel, slackUser } from './slack-payloads.ts';

/**
 * Previous/next buttons: the page replaces the message in place (response_url,
 * replace_original). A refusal (someone else's list, an expired cursor) is a separate
 * ephemeral note, so the list stays as it was.
 */
export function registerPageActions(app: App, deps: Deps): void {
  const log = deps.log.child({ module: 'slack' });
  app.action(PAGE_ACTION_PATTERN, async ({ ack, body, respond }) => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues }, 'unexpected block action payload');
      return;
    }
    const { user, team, channel, actions } = parsed.data;
    const request = decodePageValue(actions[0]?.value);
    const reply = request
      ? await turnPage(deps, {
          cursor: request.cursor,
          page: request.page,
          user: slackUser(user.id, user.username ?? user.name),
          channel: slackChannel(channel?.id ?? '', team?.id),
        })
      : errorMessage('This button belongs to a list I can no longer read. Run the command again for a fresh one.');
    try {
      await respondMessage(respond, reply, { replace: reply.kind !== 'error' });
    } catch (err) {
      log.error({ err, userId: user.id }, 'could not answer a page button through its response_url');
    }
  });
}
