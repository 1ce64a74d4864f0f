import { blocksTextLength, type Block } from './block-text.ts';

export type PackLimits = { maxBlocks: number; maxText: number };

/**
 * Packs groups of blocks (a paper card, a run of fields) into as few messages as the limits
 * allow, keeping each group whole unless it is too big for a message on its own (then its blocks
 * are packed one by one; every single block is already within Slack's per-block limits).
 * `reserve` keeps room in each part for blocks added afterwards (a "continued" note, buttons).
 */
export function packBlocks(groups: Block[][], limits: PackLimits, reserve = { blocks: 0, text: 0 }): Block[][] {
  const maxBlocks = limits.maxBlocks - reserve.blocks;
  const maxText = limits.maxText - reserve.text;
  const parts: Block[][] = [];
  let current: Block[] = [];
  let currentText = 0;
  const fits = (blocks: number, text: number) => current.length + blocks <= maxBlocks && currentText + text <= maxText;
  const push = (blocks: Block[], text: number) => {
    current.push(...blocks);
    currentText += text;
  };
  const flush = () => {
    if (current.length > 0) parts.push(current);
    current = [];
    currentText = 0;
  };
  for (const group of groups) {
    if (group.length === 0) continue;
    const text = blocksTextLength(group);
    if (fits(group.length, text)) {
      push(group, text);
      continue;
    }
    flush();
    if (fits(group.length, text)) {
      push(group, text);
      continue;
    }
    for (const block of group) {
      const size = blocksTextLength([block]);
      if (!fits(1, size)) flush();
      push([block], size);
    }
  }
  flush();
  return parts;
}
