import type { types } from '@slack/bolt';
import { cardActionsOf, renderPlainText, type Message, paperPosition } from '../../messages/message.ts';
import { listPageRef } from '../../../commands/card-action.ts';
import { cardActionsBlock } from './card-buttons.ts';
import type { Block } from './block-text.ts';
import { clip, escapeMrkdwn, mrkdwnLink, plainText } from './escape-mrkdwn.ts';
import {
  MAX_BLOCKS_PER_MESSAGE,
  MAX_BLOCK_TEXT_PER_MESSAGE,
  MAX_CONTEXT_TEXT,
  MAX_FALLBACK_TEXT,
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_FIELDS,
  MAX_SECTION_TEXT,
} from './limits.ts';
import { packBlocks, type PackLimits } from './pack-blocks.ts';
import { pagingBlocks } from './paging-buttons.ts';
import { chunkText, renderPaper, section, type PaperLayout } from './render-paper.ts';

/** One Slack message: blocks plus the plain `text` fallback (notifications, screen readers). */
export type SlackPart = { text: string; blocks: Block[] };

type RenderOptions = {
  /**
   * single: the reply must be one message (a response_url reply, replaced in place when paged):
   * the layout gets more compact until it fits. parts: as many messages as needed (digests,
   * alerts), the first one complete on its own.
   */
  mode: 'single' | 'parts';
  limits?: PackLimits;
};

const defaultLimits: PackLimits = { maxBlocks: MAX_BLOCKS_PER_MESSAGE, maxText: MAX_BLOCK_TEXT_PER_MESSAGE };

/** Layouts tried in order for a single message: the first that fits wins. */
const singleLayouts: PaperLayout[] = [
  { kind: 'rich', summaryMax: 400 },
  { kind: 'rich', summaryMax: 160 },
  { kind: 'compact', summaryMax: 160 },
  { kind: 'compact', summaryMax: 60 },
  { kind: 'compact', summaryMax: 0 },
  { kind: 'compact', summaryMax: 0, images: false },
];
const partsLayout: PaperLayout = { kind: 'rich', summaryMax: 500 };

/** Note at the end of a part when the message goes on (and room kept for it while packing). */
const continuedReserve = { blocks: 1, text: 60 };

/** Renders the neutral message as Block Kit, within Slack's limits (see limits.ts). */
export function renderBlocks(msg: Message, options: RenderOptions): SlackPart[] {
  const limits = options.limits ?? defaultLimits;
  if (options.mode === 'parts') return renderParts(msg, partsLayout, limits);
  let last: SlackPart[] = [];
  // Card buttons take a block per card: a long page drops them before it drops cards.
  for (const candidate of [msg, { ...msg, cardActions: [] }]) {
    for (const layout of singleLayouts) {
      last = renderParts(candidate, layout, limits);
      if (last.length === 1) return last;
    }
  }
  // Nothing fits (not expected within the commands' page sizes): show as many cards as fit, with
  // the buttons, and say so.
  const smallest = singleLayouts[singleLayouts.length - 1] ?? partsLayout;
  for (let count = msg.papers.length - 1; count >= 0; count -= 1) {
    const note = `Showing ${count} of the ${msg.papers.length} papers of this page: use a smaller \`limit\` to see them all.`;
    const cut = { ...msg, cardActions: [], papers: msg.papers.slice(0, count), footer: msg.footer ? `${msg.footer}\n${note}` : note };
    const parts = renderParts(cut, smallest, limits);
    if (parts.length === 1) return parts;
  }
  return last.slice(0, 1);
}

function renderParts(msg: Message, layout: PaperLayout, limits: PackLimits): SlackPart[] {
  const head = headBlocks(msg);
  const actions = cardActionsOf(msg);
  const listPage = listPageRef(msg.paging);
  const cards = msg.papers.map((paper, i) => {
    const buttons = cardActionsBlock(paper, actions, i, listPage);
    const blocks = [...renderPaper(paper, layout, numbered(msg) ? paperPosition(msg, i) : undefined), ...(buttons ? [buttons] : [])];
    // Dividers separate cards in the rich layout; the compact one saves the blocks.
    return layout.kind === 'rich' && i < msg.papers.length - 1 ? [...blocks, { type: 'divider' as const }] : blocks;
  });
  const tail = tailBlocks(msg);
  const groups = [head, ...cards, ...fieldGroups(msg), tail];
  const packed = packBlocks(groups, limits, continuedReserve);
  return packed.map((blocks, i) => {
    const more = i < packed.length - 1;
    const withNote = more ? [...blocks, contextLine(`Continued in the next message (${i + 1}/${packed.length}).`)] : blocks;
    return { text: i === 0 ? fallbackText(msg) : escapeMrkdwn(clip(`${msg.title ?? 'paperboy'} (${i + 1}/${packed.length})`, 200)), blocks: withNote };
  });
}

function headBlocks(msg: Message): Block[] {
  const blocks: Block[] = [];
  if (msg.title) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(plainText(msg.title), MAX_HEADER_TEXT), emoji: true } });
    if (msg.titleUrl) blocks.push(contextLine(mrkdwnLink(msg.titleUrl, 'Open on Hugging Face')));
  }
  if (msg.text) {
    const prefix = msg.kind === 'error' ? ':warning: ' : '';
    for (const chunk of chunkText(`${prefix}${escapeMrkdwn(msg.text)}`)) blocks.push(section(chunk));
  }
  // Verbatim text (BibTeX) in code blocks: only &, < and > are escaped inside them.
  if (msg.code) for (const chunk of chunkText(escapeMrkdwn(msg.code), MAX_SECTION_TEXT - 8)) blocks.push(section(`\`\`\`${chunk.replace(/```/g, '`\u200b``')}\`\`\``));
  return blocks;
}

/** Key/value rows as section fields: at most 10 per section, each at most 2000 characters. */
function fieldGroups(msg: Message): Block[][] {
  const groups: Block[][] = [];
  for (let i = 0; i < msg.fields.length; i += MAX_SECTION_FIELDS) {
    const fields = msg.fields.slice(i, i + MAX_SECTION_FIELDS).map((field) => ({
      type: 'mrkdwn' as const,
      text: clip(`*${escapeMrkdwn(field.name)}*\n${escapeMrkdwn(field.value)}`, MAX_FIELD_TEXT),
    }));
    groups.push([{ type: 'section', fields } satisfies types.SectionBlock]);
  }
  return groups;
}

function tailBlocks(msg: Message): Block[] {
  const blocks: Block[] = [];
  if (msg.more) blocks.push(section(`…and ${msg.more.count} more: ${mrkdwnLink(msg.more.url, 'see them all on Hugging Face')}`));
  if (msg.footer) blocks.push(contextLine(escapeMrkdwn(msg.footer)));
  if (msg.paging) blocks.push(...pagingBlocks(msg.paging));
  return blocks;
}

function contextLine(mrkdwn: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(mrkdwn, MAX_CONTEXT_TEXT) }] };
}

function numbered(msg: Message): boolean {
  return msg.papers.length > 1 || msg.paging !== undefined;
}


/** The plain-text rendering, escaped (the fallback is parsed as mrkdwn too) and kept short. */
function fallbackText(msg: Message): string {
  return clip(escapeMrkdwn(renderPlainText(msg)), MAX_FALLBACK_TEXT);
}

/**
 * The same message without thumbnails. Slack refuses a whole message (`invalid_blocks`) when it
 * cannot download one image (a thumbnail not generated yet); senders then send this instead.
 * Removing blocks' images never breaks a limit, and a split message keeps its parts.
 */
export function withoutImages(part: SlackPart): SlackPart | null {
  let removed = false;
  const blocks = part.blocks.map((block) => {
    if (block.type !== 'section' || block.accessory?.type !== 'image') return block;
    removed = true;
    const { accessory: _image, ...rest } = block;
    return rest;
  });
  return removed ? { text: part.text, blocks } : null;
}
