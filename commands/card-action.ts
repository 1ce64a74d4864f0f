import type { Deps } from '../src/deps.ts';
import { errorMessage, textMessage, type CardAction, type Message, type Paging } from '../src/messages/message.ts';
import { chatSyntax, type CommandSyntax } from './command-syntax.ts';
import type { CommandChannel, CommandUser } from './define-command.ts';
import { dispatchCommand, turnPage } from './dispatch.ts';

// The buttons under a paper card (Save, Similar, Remove). Everything a button needs is in its
// custom_id / value (the action and the arXiv id) and the database, never in memory, so a button
// on a message from before a restart works the same. Replies go to the presser alone.

type CardActionRequest = {
  action: CardAction;
  arxivId: string;
  user: CommandUser;
  channel: CommandChannel;
  syntax?: CommandSyntax;
  /** Remove: the reading-list page the button sits on (cursor null: a list of one page), shown again without the paper. */
  listPage?: ListPage;
};

export type ListPage = { cursor: string | null; page: number };

/**
 * What a Remove button carries besides the paper: `<cursor>:<page>` of the list it sits on
 * (paged lists only; a single page is the list's first page), so the refreshed page is the same one.
 */
export function listPageRef(paging: Paging | undefined): string | null {
  return paging && paging.pageCount > 1 && /^[A-Za-z0-9_-]{1,64}$/.test(paging.cursor) ? `${paging.cursor}:${paging.page}` : null;
}

export function parseListPageRef(ref: string | undefined): ListPage {
  const match = /^([A-Za-z0-9_-]{1,64}):(\d{1,6})$/.exec(ref ?? '');
  return match?.[1] ? { cursor: match[1], page: Number(match[2]) } : { cursor: null, page: 0 };
}

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
    const note = removed ? `Removed “${paper.title}” (${paper.arxivId}) from your reading list.` : `“${paper.title}” was not on your reading list.`;
    return await refreshedList(deps, request, note, syntax);
  } catch (err) {
    log.error({ err, arxivId: request.arxivId }, 'card button failed');
    return errorMessage('Something went wrong with that button. It has been logged; please try again in a moment.');
  }
}

/**
 * The reading-list page a Remove button sat on, again, without the paper and with `note` on top:
 * adapters replace the list with it. The page is clamped to the pages left (the last item of the
 * last page shows the new last page); an expired cursor shows the first page; the note alone when
 * the list cannot be read.
 */
async function refreshedList(deps: Deps, request: CardActionRequest, note: string, syntax: CommandSyntax): Promise<Message> {
  const where = request.listPage ?? { cursor: null, page: 0 };
  const asked = { user: request.user, channel: request.channel, syntax };
  let page = where.cursor ? await turnPage(deps, { ...asked, cursor: where.cursor, page: where.page }) : null;
  if (!page || page.kind === 'error') page = await dispatchCommand(deps, { ...asked, name: 'saved', rawOptions: {}, isAdmin: false });
  if (page.kind === 'error') return textMessage(note, 'private');
  return { ...page, visibility: 'private', text: [note, page.text].filter(Boolean).join('\n\n') };
}
