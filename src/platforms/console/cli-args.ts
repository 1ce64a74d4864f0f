// A small argv reader for the `paperboy` CLI. Not node:util parseArgs: search and watch queries
// contain words like `-survey` (exclude), which must stay positional instead of being read as
// short options. Only `--long` flags (and `-h`) are options; `--` ends them.

export type FlagSpec = Record<string, 'value' | 'boolean'>;
export type CliArgs = {
  positionals: string[];
  flags: Record<string, string | true>;
  /** How many of the last positionals came after `--`: text as typed, never read as options. */
  literal: number;
};

/** Wrong command line: exit code 2 and the subcommand's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseCliArgs(argv: string[], spec: FlagSpec): CliArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    if (token === '--') {
      const after = argv.slice(i + 1);
      positionals.push(...after);
      return { positionals, flags, literal: after.length };
    }
    if (token === '-h') {
      flags.help = true;
      continue;
    }
    if (!token.startsWith('--') || token.length === 2) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const kind = name === 'help' ? 'boolean' : spec[name];
    if (!kind) {
      const known = Object.keys(spec).map((flag) => `--${flag}`);
      throw new UsageError(`unknown option --${name}${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    }
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq !== -1 ? token.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (name in flags) throw new UsageError(`--${name} is given twice`);
    flags[name] = value;
  }
  return { positionals, flags, literal: 0 };
}

/** The value of a `--flag value` option, if given. */
export function flagValue(args: CliArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A command that takes no positional arguments refuses any as a usage error (exit 2). */
export function rejectArguments(command: string, positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got ${positionals.join(' ').replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 80)})`);
}
