import type { CommandDefinition } from './define-command.ts';
import { digestOff } from './digest-off.ts';
import { digestPreview } from './digest-preview.ts';
import { digestSet } from './digest-set.ts';
import { digestShow } from './digest-show.ts';
import { help } from './help.ts';
import { paper } from './paper.ts';
import { saved } from './saved.ts';
import { search } from './search.ts';
import { similar } from './similar.ts';
import { status } from './status.ts';
import { today } from './today.ts';
import { trending } from './trending.ts';
import { unwatch } from './unwatch.ts';
import { watch } from './watch.ts';
import { watches } from './watches.ts';

/**
 * Every /papers subcommand, in the order help lists them. The single source for Discord
 * registration, Slack text parsing and the CLI: no directory walk, no registry.
 */
export const commands = [today, trending, search, paper, similar, saved, watch, watches, unwatch, digestSet, digestShow, digestOff, digestPreview, status, help] as const;

/** The definition called `name` (`digest set`): case and extra spaces do not matter. */
export function findCommand(name: string): CommandDefinition | undefined {
  const wanted = name.trim().toLowerCase().replace(/\s+/g, ' ');
  return commands.find((command) => command.name === wanted);
}
