import { embedLength, type APIEmbed } from 'discord.js';
import type { Message } from '../../src/messages/message.ts';
import { renderEmbeds } from '../../src/platforms/discord/render-embeds.ts';
import { editOptions, replyOptions, updateOptions } from '../../src/platforms/discord/reply-options.ts';
import { renderBlocks, type SlackPart } from '../../src/platforms/slack/render-blocks.ts';

// What Discord and Slack accept, checked against what our renderers produce, written from the
// platforms' documentation (Discord API reference, Slack Block Kit reference) rather than imported
// from the adapters' own limits.ts, so a wrong constant there cannot hide a violation. Each check returns
// the list of problems (empty = fine), so a fuzz failure says what broke.

const discord = {
  content: 2000,
  embeds: 10,
  total: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  label: 80,
};

const slack = {
  blocks: 50,
  section: 3000,
  fields: 10,
  field: 2000,
  header: 150,
  contextElements: 10,
  button: 75,
  buttonValue: 2000,
  altText: 2000,
  imageUrl: 3000,
  // msg_blocks_too_long: observed around 12–13k characters of block text.
  blockText: 12_000,
  fallback: 40_000,
};

const httpUrl = /^https?:\/\/\S+$/;

/** Code spans render nothing inside them (no links, no mentions): leave them out of link checks. */
function outsideCode(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]+`/g, '');
}

/** Targets of markdown links `[label](target)` whose `]` is not escaped. */
function markdownTargets(markdown: string): string[] {
  return [...outsideCode(markdown).matchAll(/(?<!\\)\]\(([^)\s]*)/g)].map((m) => m[1] ?? '');
}

/** The embed texts Discord renders markdown in (footers and author names are shown as typed). */
function markdownTexts(embed: APIEmbed): string[] {
  return [embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).flatMap((f) => [f.name, f.value])];
}

export function discordProblems(msg: Message): string[] {
  const problems: string[] = [];
  const { embeds, components } = renderEmbeds(msg);
  if (embeds.length === 0 || embeds.length > discord.embeds) problems.push(`${embeds.length} embeds`);
  const total = embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
  if (total > discord.total) problems.push(`embeds total ${total} > ${discord.total}`);
  embeds.forEach((embed, i) => {
    const at = `embed ${i}`;
    if ((embed.title?.length ?? 0) > discord.title) problems.push(`${at} title ${embed.title?.length}`);
    if ((embed.description?.length ?? 0) > discord.description) problems.push(`${at} description ${embed.description?.length}`);
    if ((embed.footer?.text.length ?? 0) > discord.footer) problems.push(`${at} footer ${embed.footer?.text.length}`);
    if ((embed.author?.name.length ?? 0) > discord.author) problems.push(`${at} author ${embed.author?.name.length}`);
    if (embed.description === '') problems.push(`${at} empty description`);
    if (!embed.title && !embed.description && !embed.fields?.length && !embed.footer && !embed.thumbnail && !embed.image) problems.push(`${at} is empty`);
    const fields = embed.fields ?? [];
    if (fields.length > discord.fields) problems.push(`${at} ${fields.length} fields`);
    fields.forEach((field, j) => {
      if (field.name.length === 0 || field.name.length > discord.fieldName) problems.push(`${at} field ${j} name ${field.name.length}`);
      if (field.value.length === 0 || field.value.length > discord.fieldValue) problems.push(`${at} field ${j} value ${field.value.length}`);
    });
    for (const url of [embed.url, embed.thumbnail?.url, embed.image?.url]) {
      if (url !== undefined && !httpUrl.test(url)) problems.push(`${at} url ${url.slice(0, 60)}`);
    }
    for (const target of markdownTexts(embed).flatMap(markdownTargets)) {
      if (!httpUrl.test(target)) problems.push(`${at} link to ${target.slice(0, 60)}`);
    }
  });
  if (components.length > discord.rows) problems.push(`${components.length} rows`);
  for (const row of components) {
    if (row.components.length > discord.buttonsPerRow) problems.push(`${row.components.length} buttons in a row`);
    for (const button of row.components) {
      if ('custom_id' in button && button.custom_id.length > discord.customId) problems.push(`custom_id ${button.custom_id.length}`);
      const label = 'label' in button && typeof button.label === 'string' ? button.label : '';
      if (label.length > discord.label) problems.push(`label ${label.length}`);
    }
  }
  // Nothing we send may ping: every payload shape says so explicitly (a delivery's body:
  // test/platforms/discord/discord-sender.test.ts, through the fake).
  const payloads: Array<[string, { allowedMentions?: unknown; allowed_mentions?: unknown; content?: unknown }]> = [
    ['reply', replyOptions(msg)],
    ['edit', editOptions(msg)],
    ['update', updateOptions(msg)],
  ];
  for (const [name, payload] of payloads) {
    const mentions = payload.allowedMentions ?? payload.allowed_mentions;
    if (JSON.stringify(mentions) !== '{"parse":[]}') problems.push(`${name} allowed mentions ${JSON.stringify(mentions)}`);
    if (typeof payload.content === 'string' && payload.content.length > discord.content) problems.push(`${name} content ${payload.content.length}`);
  }
  return problems;
}

/** Every string in a Slack payload, with the key it sits under. */
function strings(value: unknown, key = ''): Array<{ key: string; text: string }> {
  if (typeof value === 'string') return [{ key, text: value }];
  if (Array.isArray(value)) return value.flatMap((item) => strings(item, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, k));
}

function textLength(part: SlackPart): number {
  return strings(part.blocks)
    .filter((s) => s.key === 'text' || s.key === 'alt_text' || s.key === 'value')
    .reduce((sum, s) => sum + s.text.length, 0);
}

export function slackPartProblems(part: SlackPart): string[] {
  const problems: string[] = [];
  if (part.blocks.length > slack.blocks) problems.push(`${part.blocks.length} blocks`);
  if (part.text.length === 0 || part.text.length > slack.fallback) problems.push(`fallback text ${part.text.length}`);
  const total = textLength(part);
  if (total > slack.blockText) problems.push(`block text ${total}`);
  part.blocks.forEach((block, i) => {
    const at = `block ${i} (${block.type})`;
    if (block.type === 'section') {
      if ((block.text?.text.length ?? 0) > slack.section) problems.push(`${at} text ${block.text?.text.length}`);
      if (block.text?.text.length === 0) problems.push(`${at} empty text`);
      if ((block.fields?.length ?? 0) > slack.fields) problems.push(`${at} ${block.fields?.length} fields`);
      for (const field of block.fields ?? []) if (field.text.length > slack.field || field.text.length === 0) problems.push(`${at} field ${field.text.length}`);
      if (!block.text && !block.fields?.length) problems.push(`${at} has no text`);
      const accessory = block.accessory;
      if (accessory?.type === 'image' && 'image_url' in accessory) {
        if (!httpUrl.test(accessory.image_url ?? '') || (accessory.image_url?.length ?? 0) > slack.imageUrl) problems.push(`${at} image url`);
        if (accessory.alt_text.length > slack.altText) problems.push(`${at} alt text`);
      }
    }
    if (block.type === 'header' && (block.text.text.length > slack.header || block.text.text.length === 0)) problems.push(`${at} ${block.text.text.length}`);
    if (block.type === 'context' && (block.elements.length > slack.contextElements || block.elements.length === 0)) problems.push(`${at} ${block.elements.length} elements`);
    if (block.type === 'actions') {
      for (const element of block.elements) {
        if (element.type !== 'button') continue;
        if (element.text.text.length > slack.button) problems.push(`${at} button text`);
        if ((element.value?.length ?? 0) > slack.buttonValue) problems.push(`${at} button value`);
      }
    }
  });
  // Mentions and links are `<…>` markup in Slack: the only `<` we may emit opens an http(s) link.
  for (const { key, text } of strings(part)) {
    if (key === 'image_url' || key === 'action_id' || key === 'value' || key === 'type') continue;
    for (const match of text.matchAll(/</g)) {
      const rest = text.slice(match.index, match.index + 2100);
      if (!/^<https?:\/\/[^\s<>|]+(\|[^<>]*)?>/.test(rest)) problems.push(`${key}: markup ${JSON.stringify(rest.slice(0, 40))}`);
    }
  }
  return problems;
}

export function slackProblems(msg: Message): string[] {
  const problems: string[] = [];
  const single = renderBlocks(msg, { mode: 'single' });
  if (single.length !== 1) problems.push(`a reply rendered as ${single.length} messages`);
  for (const part of single) problems.push(...slackPartProblems(part).map((p) => `single: ${p}`));
  for (const [i, part] of renderBlocks(msg, { mode: 'parts' }).entries()) problems.push(...slackPartProblems(part).map((p) => `part ${i + 1}: ${p}`));
  return problems;
}
