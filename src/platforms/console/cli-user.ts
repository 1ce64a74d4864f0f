import type { CommandUser } from '../../../commands/define-command.ts';
import type { Platform } from '../../platform.ts';
import { flagValue, UsageError, type CliArgs } from './cli-args.ts';

// `--user` names whose watches (or reading list) to manage; a mistyped id would silently create watches nobody
// gets, so it must look like an id of that platform.

const idShapes: Record<Platform, { pattern: RegExp; what: string }> = {
  // Discord ids are snowflakes: 17-20 digits (Discord's "Snowflakes" reference).
  discord: { pattern: /^\d{17,20}$/, what: 'a Discord user id (17 to 20 digits)' },
  // Slack user ids: U or W (Enterprise Grid) and uppercase letters or digits.
  slack: { pattern: /^[UW][A-Z0-9]{6,20}$/, what: 'a Slack user id (U or W and uppercase letters or digits, e.g. U024BE7LH)' },
  console: { pattern: /^[\w.-]{1,64}$/, what: 'a short console name (letters, digits, . _ -; at most 64)' },
};

const isPlatform = (name: string): name is Platform => name in idShapes;

const whose = { watch: 'whose watches to manage', saved: 'whose reading list to show' } as const;

/** The user of `--user <id> [--platform p]`. Throws UsageError (exit 2) for a missing or malformed id. */
export function cliUser(args: CliArgs, command: keyof typeof whose): CommandUser {
  const id = flagValue(args, 'user');
  if (!id) throw new UsageError(`${command} needs --user <id> (the chat user id ${whose[command]})`);
  const typed = flagValue(args, 'platform');
  // Without --platform the user is the console's; an id shaped like a chat platform's was almost
  // certainly meant for it, and would otherwise show (or fill) an empty console list.
  const looksLike = typed === undefined ? (['discord', 'slack'] as const).find((name) => idShapes[name].pattern.test(id)) : undefined;
  if (looksLike) {
    throw new UsageError(`--user ${id} looks like a ${looksLike === 'discord' ? 'Discord' : 'Slack'} user id: add --platform ${looksLike} (or --platform console)`);
  }
  const platform = typed ?? 'console';
  if (!isPlatform(platform)) throw new UsageError(`--platform must be one of ${Object.keys(idShapes).join(', ')}`);
  const shape = idShapes[platform];
  if (!shape.pattern.test(id)) throw new UsageError(`--user must be ${shape.what}, got '${shown(id)}'`);
  return { platform, id };
}

/** The id as echoed: invisible characters spelled out (`\u202E`), since they are why it is wrong. */
function shown(text: string): string {
  const plain = text.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
  return plain.length > 20 ? `${plain.slice(0, 20)}…` : plain;
}
