import { z } from 'zod';
import type { CommandChannel, CommandUser } from '../../../commands/define-command.ts';

// What we read from Slack's incoming payloads. Bolt types them loosely (string-indexed), so the
// fields we rely on are parsed here; anything else in the payload is ignored.

export const SlashCommandBody = z.looseObject({
  text: z.string().default(''),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  team_id: z.string().optional(),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
});
export type SlashCommandBody = z.infer<typeof SlashCommandBody>;

export const BlockActionBody = z.looseObject({
  user: z.looseObject({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional() }),
  team: z.looseObject({ id: z.string() }).nullish(),
  channel: z.looseObject({ id: z.string() }).nullish(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type BlockActionBody = z.infer<typeof BlockActionBody>;

export const AppHomeOpenedEvent = z.looseObject({ user: z.string().min(1), tab: z.string().optional() });

export function slackUser(id: string, name?: string): CommandUser {
  return { platform: 'slack', id, ...(name ? { name } : {}) };
}

/** DM channel ids start with D; Slack names them "directmessage" in slash command payloads. */
export function slackChannel(id: string, teamId?: string | null, channelName?: string): CommandChannel {
  return { platform: 'slack', id, ...(teamId ? { workspaceId: teamId } : {}), isDm: id.startsWith('D') || channelName === 'directmessage' };
}
