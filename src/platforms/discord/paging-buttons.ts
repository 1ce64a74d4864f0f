import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import type { Paging } from '../../messages/message.ts';
import { MAX_CUSTOM_ID } from './limits.ts';

// Paging buttons carry only the cursor id (a page_cursors row) and the page to show:
// `pg:<cursor>:<page>`, so a button pressed after a restart still works. custom_ids must be
// unique within a message, so the disabled placeholders get `x0`/`x1`/`x2` instead of a page.

const PAGE_PREFIX = 'pg:';
const cursorPattern = /^[A-Za-z0-9_-]{1,64}$/;
const pagePattern = /^pg:([A-Za-z0-9_-]{1,64}):(\d{1,6})$/;

type PageRequest = { cursor: string; page: number };

function pageCustomId(cursor: string, page: number | string): string {
  const id = `${PAGE_PREFIX}${cursor}:${page}`;
  if (id.length > MAX_CUSTOM_ID) throw new Error('page button custom_id too long');
  return id;
}

/** The page a button asks for, or null when the custom_id is not a page button (or a placeholder). */
export function parsePageCustomId(customId: string): PageRequest | null {
  const match = pagePattern.exec(customId);
  if (!match?.[1] || match[2] === undefined) return null;
  return { cursor: match[1], page: Number(match[2]) };
}

function button(customId: string, label: string, disabled: boolean, style: ButtonStyle.Primary | ButtonStyle.Secondary = ButtonStyle.Secondary): APIButtonComponent {
  return { type: ComponentType.Button, style, custom_id: customId, label, disabled };
}

/** ◀ Previous · "2 / 5" · Next ▶, or no row for a single page. */
export function pagingRow(paging: Paging | undefined): APIActionRowComponent<APIButtonComponent>[] {
  // A cursor that could not round-trip through a custom_id gets no buttons rather than broken ones.
  if (!paging || paging.pageCount <= 1 || !cursorPattern.test(paging.cursor)) return [];
  const { cursor, page, pageCount } = paging;
  const first = page <= 0;
  const last = page >= pageCount - 1;
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        button(pageCustomId(cursor, first ? 'x0' : page - 1), '◀ Previous', first, ButtonStyle.Primary),
        button(pageCustomId(cursor, 'x2'), `${page + 1} / ${pageCount}`, true),
        button(pageCustomId(cursor, last ? 'x1' : page + 1), 'Next ▶', last, ButtonStyle.Primary),
      ],
    },
  ];
}
