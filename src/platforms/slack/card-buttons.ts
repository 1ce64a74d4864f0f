import type { types } from '@slack/bolt';
import { z } from 'zod';
import { parseArxivId } from '../../papers/arxiv-id.ts';
import type { CardAction, PaperCard } from '../../messages/message.ts';
import { MAX_BUTTON_VALUE } from './limits.ts';

// Save / Similar / Remove under a card: an actions block whose buttons carry the arXiv id as
// their value, so a button pressed after a restart still works. action_ids must be unique within
// a message: the card's position is part of them.

export const CARD_ACTION_PATTERN = /^paperboy_card_(save|similar|remove)_\d+$/;

const labels: Record<CardAction, string> = { save: '☆ Save', similar: 'Similar', remove: 'Remove' };
const Action = z.enum(['save', 'similar', 'remove']);

export function cardActionsBlock(card: PaperCard, actions: CardAction[], index: number): types.ActionsBlock | null {
  if (actions.length === 0 || card.id.length > MAX_BUTTON_VALUE) return null;
  return {
    type: 'actions',
    elements: actions.map((action) => ({
      type: 'button',
      action_id: `paperboy_card_${action}_${index}`,
      text: { type: 'plain_text', text: labels[action], emoji: true },
      value: card.id,
      ...(action === 'save' ? { style: 'primary' as const } : {}),
    })),
  };
}

/** The action and paper a card button asks for, or null when it is not ours. */
export function decodeCardAction(actionId: string | undefined, value: string | undefined): { action: CardAction; arxivId: string } | null {
  const action = Action.safeParse(CARD_ACTION_PATTERN.exec(actionId ?? '')?.[1]);
  const arxivId = value ? parseArxivId(value) : null;
  return action.success && arxivId ? { action: action.data, arxivId } : null;
}
