import { chatSyntax, valueHint, type CommandSyntax } from '../../../commands/command-syntax.ts';
import type { CommandDefinition, CommandUser } from '../../../commands/define-command.ts';
import { optionSpecs } from '../../../commands/option-specs.ts';

// The CLI's way of writing the /papers subcommands it offers: flags instead of key=value, and
// the watch commands under `watch add|list|remove` with the user they were run for. Subcommands
// the CLI does not offer (digest set, status…) keep their chat form: that is where they run.

// `omit`: options of the chat command the CLI does not take (`saved` prints the whole list).
const cliForms: Record<string, { words: string; perUser?: true; omit?: string[] }> = {
  today: { words: 'today' },
  search: { words: 'search' },
  paper: { words: 'paper' },
  trending: { words: 'trending' },
  similar: { words: 'similar' },
  saved: { words: 'saved', perUser: true, omit: ['limit'] },
  watch: { words: 'watch add', perUser: true },
  watches: { words: 'watch list', perUser: true },
  unwatch: { words: 'watch remove', perUser: true },
  'digest preview': { words: 'digest preview' },
};

/** The CLI's name for a /papers subcommand: `watch add` for `watch`. */
export function cliCommandName(name: string): string {
  return cliForms[name]?.words ?? name;
}

/** Command syntax for CLI replies about `user` (whose --user/--platform the hints repeat). */
export function cliSyntax(user: CommandUser): CommandSyntax {
  const userFlags = `--user ${user.id}${user.platform === 'console' ? '' : ` --platform ${user.platform}`}`;
  const prefix = (name: string): string | undefined => {
    const form = cliForms[name];
    return form ? `paperboy ${form.words}${form.perUser ? ` ${userFlags}` : ''}` : undefined;
  };
  const option = (definition: CommandDefinition, name: string) => (name === definition.rest ? `<${name}>` : `--${name}`);
  const specs = (definition: CommandDefinition) => optionSpecs(definition.options).filter((spec) => !cliForms[definition.name]?.omit?.includes(spec.name));
  return {
    command: (name, args) => {
      const cli = prefix(name);
      return cli ? `${cli}${args ? ` ${shellArgs(args)}` : ''}` : chatSyntax.command(name, args);
    },
    usage: (definition) => {
      const cli = prefix(definition.name);
      if (!cli) return chatSyntax.usage(definition);
      const parts = specs(definition).map((spec) => {
        const body = spec.name === definition.rest ? `<${spec.name}>` : `--${spec.name} ${valueHint(spec)}`;
        return spec.required ? body : `[${body}]`;
      });
      return [cli, ...parts, '[--json]'].join(' ');
    },
    option,
    optionList: (definition) =>
      specs(definition)
        .filter((spec) => spec.name !== definition.rest)
        .map((spec) => `--${spec.name} ${valueHint(spec)}`)
        .concat('--json'),
    // Single quotes keep the shell from eating the double quotes the query language needs.
    quoted: (text) => `'"${text.replaceAll('"', '').replaceAll("'", '')}"'`,
  };
}

/**
 * Chat arguments as a shell takes them: `format=bibtex` is `--format bibtex`, and text holding the
 * query language's double quotes goes in single quotes (`'"state space model" -survey'`), which the
 * shell would otherwise eat, turning the phrase into three words.
 */
function shellArgs(args: string): string {
  const options = args.replace(/(^|\s)([a-z_]+)=(\S+)/g, (_match, space: string, key: string, value: string) => `${space}--${key} ${value}`);
  return options.includes('"') ? `'${options.replaceAll("'", '')}'` : options;
}
