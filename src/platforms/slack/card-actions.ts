import type { App } from '@slack/bolt';
import { runCardAction } from '../../../commands/card-action.ts';
import type { Deps } from '../../deps.ts';
import { errorMessage } from '../../messages/message.ts';
import { CARD_ACTION_PATTERN, decodeCardAction } from './card-buttons.ts';
import { respondMessage } from './respond-message.ts';
import { BlockActionBody, slackChannel, slackUser } from './slack-payloads.ts';

/**
 * Save / Similar / Remove under a card, answered through response_url: Save and Similar
 * ephemeral, the card's message left as it was; Remove (on the reading list) replaces the list
 * with its page without the paper (a refusal is a separate note).
 */
export function registerCardActions(app: App, deps: Deps): void {
  const log = deps.log.child({ module: 'slack' });
  app.action(CARD_ACTION_PATTERN, async ({ ack, body, respond }) => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues }, 'unexpected block action payload');
      return;
    }
    const { user, team, channel, actions } = parsed.data;
    const request = decodeCardAction(actions[0]?.action_id, actions[0]?.value);
    const reply = request
      ? await runCardAction(deps, { ...request, user: slackUser(user.id, user.username ?? user.name), channel: slackChannel(channel?.id ?? '', team?.id) })
      : errorMessage('This button belongs to a message I can no longer read. Run the command again.');
    try {
      await respondMessage(respond, { ...reply, visibility: 'private' }, { replace: request?.action === 'remove' && reply.kind !== 'error' });
    } catch (err) {
      log.error({ err, userId: user.id }, 'could not answer a card button through its response_url');
    }
  });
}
