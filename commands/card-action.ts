import type { Deps } from '../src/deps.ts';
import { errorMessage, textMessage, type CardAction, type Message } from '../src/messages/message.ts';
import { chatSyntax, type CommandSyntax } from './command-syntax.ts';
import type { CommandChannel, CommandUser } from './define-command.ts';
import { dispatchCommand } from './dispatch.ts';

// The buttons under a paper card (Save, Similar, Remove). Everything a button needs is in its
// custom_id / value (the action and the arXiv id) and the database, never in memory, so a button
// on a message from before a restart works the same. Replies go to the presser alone.

export type CardActionRequest = { action: CardAction; arxivId: string; user: CommandUser; channel: CommandChannel; syntax?: CommandSyntax };

export async function runCardAction(deps: Deps, request: CardActionRequest): Promise<Message> {
  const syntax = request.syntax ?? chatSyntax;
  if (request.action === 'similar') {
    const reply = await dispatchCommand(deps, { name: 'similar', rawOptions: { id: request.arxivId }, user: request.user, channel: request.channel, isAdmin: false, syntax });
    return { ...reply, visibility: 'private' };
  }
  const log = deps.log.child({ module: 'commands', platform: request.user.platform, command: request.action, userId: request.user.id });
  try {
    const paper = await deps.store.getPaperByArxivId(request.arxivId);
    if (!paper) return errorMessage(`${request.arxivId} is no longer stored. \`${syntax.command('paper')}\` can fetch it again.`);
    const user = { platform: request.user.platform, id: request.user.id };
    if (request.action === 'save') {
      const added = await deps.store.savePaper(user, paper.id, deps.clock.now());
      const where = `\`${syntax.command('saved')}\` lists your reading list`;
      return textMessage(added ? `Saved “${paper.title}” (${paper.arxivId}) to your reading list. ${where}.` : `“${paper.title}” is already on your reading list. ${where}.`, 'private');
    }
    const removed = await deps.store.unsavePaper(user, paper.id);
    return textMessage(removed ? `Removed “${paper.title}” (${paper.arxivId}) from your reading list.` : `“${paper.title}” was not on your reading list.`, 'private');
  } catch (err) {
    log.error({ err, arxivId: request.arxivId }, 'card button failed');
    return errorMessage('Something went wrong with that button. It has been logged; please try again in a moment.');
  }
}
