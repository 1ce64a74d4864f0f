import type { types } from '@slack/bolt';
import { z } from 'zod';
import { parseArxivId } from '../../papers/arxiv-id.ts';
import { parseListPageRef, type ListPage } from '../../../commands/card-action.ts';
import type { CardAction, PaperCard } from '../../messages/message.ts';
import { MAX_BUTTON_VALUE } from './limits.ts';

// Save / Similar / Remove under a card: an actions block whose buttons carry the arXiv id as
// their value, so a button pressed after a restart still works; Remove on a paged list adds
// ` <cursor>:<page>`, the page to show again without the paper. action_ids must be unique within
// a message: the card's position is part of them.

export const CARD_ACTION_PATTERN = /^paperboy_card_(save|similar|remove)_\d+$/;

const labels: Record<CardAction, string> = { save: '☆ Save', similar: 'Similar', remove: 'Remove' };
const Action = z.enum(['save', 'similar', 'remove']);

/** `listPage`: the list's `<cursor>:<page>` (commands/card-action.ts listPageRef), null for a single page. */
export function cardActionsBlock(card: PaperCard, actions: CardAction[], index: number, listPage: string | null = null): types.ActionsBlock | null {
  if (actions.length === 0 || card.id.length + (listPage?.length ?? 0) + 1 > MAX_BUTTON_VALUE) return null;
  return {
    type: 'actions',
    elements: actions.map((action) => ({
      type: 'button',
      action_id: `paperboy_card_${action}_${index}`,
      text: { type: 'plain_text', text: labels[action], emoji: true },
      value: action === 'remove' && listPage ? `${card.id} ${listPage}` : card.id,
      ...(action === 'save' ? { style: 'primary' as const } : {}),
    })),
  };
}

/** The action and paper a card button asks for, or null when it is not ours. */
export function decodeCardAction(actionId: string | undefined, value: string | undefined): { action: CardAction; arxivId: string; listPage?: ListPage } | null {
  const action = Action.safeParse(CARD_ACTION_PATTERN.exec(actionId ?? '')?.[1]);
  const [id, listPage] = (value ?? '').split(' ');
  const arxivId = id ? parseArxivId(id) : null;
  if (!action.success || !arxivId) return null;
  return action.data === 'remove' ? { action: action.data, arxivId, listPage: parseListPageRef(listPage) } : { action: action.data, arxivId };
}
