import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Paging } from '../../messages/message.ts';
import { MAX_BUTTON_VALUE } from './limits.ts';

// Paging buttons carry only the cursor id (a page_cursors row) and the page to show, so a
// button pressed after a restart still works. action_ids must be unique within a message.

const PAGE_ACTION_PREFIX = 'paperboy_page_';
export const PAGE_ACTION_PATTERN = /^paperboy_page_(prev|next)$/;

const PageValue = z.object({ c: z.string().min(1).max(100), p: z.number().int().min(0).max(100_000) });
type PageRequest = { cursor: string; page: number };

function encodePageValue(request: PageRequest): string {
  const value = JSON.stringify({ c: request.cursor, p: request.page });
  if (value.length > MAX_BUTTON_VALUE) throw new Error('page button value too long');
  return value;
}

/** The page a button asks for, or null when its value is not ours (forged or from an old version). */
export function decodePageValue(value: string | undefined): PageRequest | null {
  if (!value) return null;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = PageValue.safeParse(json);
  return parsed.success ? { cursor: parsed.data.c, page: parsed.data.p } : null;
}

/** Previous/next buttons and "page x of y", or nothing for a single page. */
export function pagingBlocks(paging: Paging): types.KnownBlock[] {
  if (paging.pageCount <= 1 || !paging.cursor) return [];
  const buttons: types.Button[] = [];
  if (paging.page > 0) {
    buttons.push({
      type: 'button',
      action_id: `${PAGE_ACTION_PREFIX}prev`,
      text: { type: 'plain_text', text: '◀ Previous' },
      value: encodePageValue({ cursor: paging.cursor, page: paging.page - 1 }),
    });
  }
  if (paging.page < paging.pageCount - 1) {
    buttons.push({
      type: 'button',
      action_id: `${PAGE_ACTION_PREFIX}next`,
      text: { type: 'plain_text', text: 'Next ▶' },
      value: encodePageValue({ cursor: paging.cursor, page: paging.page + 1 }),
    });
  }
  return [
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Page ${paging.page + 1} of ${paging.pageCount} · ${paging.total} in all` }] },
    { type: 'actions', elements: buttons },
  ];
}
