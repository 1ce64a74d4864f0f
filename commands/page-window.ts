import type { Paging } from '../src/messages/message.ts';

/**
 * The slice of a list to show: `page` (0-based) clamped to the pages that exist, so a button
 * pressed after the list shrank shows the last page instead of nothing.
 */
export function pageWindow(total: number, pageSize: number, requestedPage = 0): { page: number; pageCount: number; offset: number } {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(0, requestedPage), pageCount - 1);
  return { page, pageCount, offset: page * pageSize };
}

/** Paging for a list reply; the dispatcher fills `cursor` (or drops paging for a single page). */
export function pagingFor(total: number, window: { page: number; pageCount: number }): Paging {
  return { cursor: '', page: window.page, pageCount: window.pageCount, total };
}
