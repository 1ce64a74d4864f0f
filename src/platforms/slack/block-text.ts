import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/**
 * Characters of text a block carries (every `text` string, fields, alt text): what Slack's
 * undocumented total-size limit (`msg_blocks_too_long`) is about. URLs inside mrkdwn count too.
 */
function blockTextLength(block: Block): number {
  return textLength(block);
}

function textLength(value: unknown): number {
  if (typeof value === 'string') return 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item: unknown) => sum + textLength(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let sum = 0;
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string' && (key === 'text' || key === 'alt_text' || key === 'value')) sum += child.length;
    else sum += textLength(child);
  }
  return sum;
}

export function blocksTextLength(blocks: Block[]): number {
  return blocks.reduce((sum, block) => sum + blockTextLength(block), 0);
}
