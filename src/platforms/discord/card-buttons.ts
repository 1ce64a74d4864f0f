import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { listPageRef, parseListPageRef, type ListPage } from '../../../commands/card-action.ts';
import { cardActionsOf, paperPosition, type CardAction, type Message } from '../../messages/message.ts';
import { MAX_BUTTON_LABEL, MAX_CUSTOM_ID } from './limits.ts';

// Save / Similar / Remove under the cards: `card:<action>:<arXiv id>`, everything the button
// needs, so it works on a message from before a restart; Remove on a paged list adds
// `:<cursor>:<page>`, the page to show again without the paper. Buttons go in order, five to a row, in
// the rows paging leaves free; cards past those rows get none (the commands still reach them).

const PREFIX = 'card:';
const pattern = /^card:(save|similar|remove):([A-Za-z0-9./-]{1,60})(?::([A-Za-z0-9_-]{1,64}:\d{1,6}))?$/;
const MAX_ROWS = 5;
const PER_ROW = 5;

const labels: Record<CardAction, string> = { save: '☆ Save', similar: 'Similar', remove: 'Remove' };

export function parseCardCustomId(customId: string): { action: CardAction; arxivId: string; listPage?: ListPage } | null {
  const match = pattern.exec(customId);
  const action = match?.[1];
  if (!match?.[2] || (action !== 'save' && action !== 'similar' && action !== 'remove')) return null;
  return action === 'remove' ? { action, arxivId: match[2], listPage: parseListPageRef(match[3]) } : { action, arxivId: match[2] };
}

/** The card buttons, in at most `5 - usedRows` rows. */
export function cardRows(msg: Message, usedRows: number): APIActionRowComponent<APIButtonComponent>[] {
  const actions = cardActionsOf(msg);
  const numbered = msg.papers.length > 1 || msg.paging !== undefined;
  const buttons: APIButtonComponent[] = [];
  const listPage = listPageRef(msg.paging);
  msg.papers.forEach((card, i) => {
    for (const action of actions) {
      const customId = `${PREFIX}${action}:${card.id}${action === 'remove' && listPage ? `:${listPage}` : ''}`;
      if (customId.length > MAX_CUSTOM_ID || !pattern.test(customId)) continue;
      const label = `${labels[action]}${numbered ? ` ${paperPosition(msg, i)}` : ''}`.slice(0, MAX_BUTTON_LABEL);
      buttons.push({ type: ComponentType.Button, style: action === 'save' ? ButtonStyle.Primary : ButtonStyle.Secondary, custom_id: customId, label });
    }
  });
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length && rows.length < MAX_ROWS - usedRows; i += PER_ROW) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + PER_ROW) });
  }
  return rows;
}
