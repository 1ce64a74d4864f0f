import type { App } from '@slack/bolt';
import { dispatchCommand } from '../../../commands/dispatch.ts';
import { findCommand } from '../../../commands/index.ts';
import { parseCommandText } from '../../../commands/parse-command-text.ts';
import type { Deps } from '../../deps.ts';
import { errorMessage, type Message } from '../../messages/message.ts';
import type { AdminCheck } from './admin-check.ts';
import { respondMessage } from './respond-message.ts';
import { SlashCommandBody, slackChannel, slackUser } from './slack-payloads.ts';

/**
 * `/papers <text>`: Slack's one slash command, its text parsed with the shared command
 * definitions. Whatever name the workspace gave the command, it lands here.
 */
export function registerSlashCommand(app: App, deps: Deps, isAdmin: AdminCheck): void {
  const log = deps.log.child({ module: 'slack' });
  app.command(/.+/, async ({ ack, command, respond }) => {
    // Slack wants the ack within 3 s: before any database or network work.
    await ack();
    const body = SlashCommandBody.safeParse(command);
    if (!body.success) {
      log.warn({ issues: body.error.issues }, 'unexpected slash command payload');
      return;
    }
    const { text, user_id: userId, user_name: userName, team_id: teamId, channel_id: channelId, channel_name: channelName } = body.data;
    const reply = await answer(deps, isAdmin, text, slackUser(userId, userName), slackChannel(channelId, teamId, channelName));
    try {
      await respondMessage(respond, reply, { replace: false });
    } catch (err) {
      log.error({ err, userId, channelId }, 'could not answer a slash command through its response_url');
    }
  });
}

async function answer(
  deps: Deps,
  isAdmin: AdminCheck,
  text: string,
  user: ReturnType<typeof slackUser>,
  channel: ReturnType<typeof slackChannel>,
): Promise<Message> {
  const parsed = parseCommandText(unescapeSlackText(text));
  if ('error' in parsed) return errorMessage(parsed.error);
  // users.info only when the answer matters: most commands are not admin-only.
  const admin = findCommand(parsed.name)?.adminOnly ? await isAdmin(user.id) : false;
  return dispatchCommand(deps, { name: parsed.name, rawOptions: parsed.rawOptions, user, channel, isAdmin: admin });
}

/** Slack sends `&`, `<`, `>` in command text as HTML entities; the query language wants the characters. */
function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
