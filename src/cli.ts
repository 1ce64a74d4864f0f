import { ConfigError, loadConfig, readEnv, type Config } from './config.ts';
import { cliBackup, cliInviteUrl, cliRegisterCommands } from './platforms/console/cli-admin.ts';
import { parseCliArgs, rejectArguments, UsageError, type CliArgs, type FlagSpec } from './platforms/console/cli-args.ts';
import { cliDigest, cliPaper, cliSaved, cliSearch, cliSimilar, cliToday, cliTrending, cliWatch } from './platforms/console/cli-commands.ts';
import { openCliDeps, type CliContext } from './platforms/console/cli-context.ts';
import { cliBackfill } from './platforms/console/cli-backfill.ts';
import { cliIngest } from './platforms/console/cli-ingest.ts';
import { printError, printProblems, printText, processIo, type ConsoleIo } from './platforms/console/console-io.ts';

// `paperboy <command>`: the CLI entry (bin/paperboy.js). Errors are one line on stderr; `--json`
// output is the only thing on stdout. Exit codes, the same for every command (README, CLI):
// 0 ok; 1 the operation failed (not found, feed or network trouble, bad configuration);
// 2 the command line is wrong (unknown command or flag, an argument the command does not take, a
// bad option value such as a malformed paper id or date, a backup target that can never be
// written over), so a script can tell "fix the call" from "try again later".

type CliCommand = {
  usage: string;
  summary: string;
  flags: FlagSpec;
  /** false: any positional argument is a usage error, refused before anything runs. */
  takesArguments?: false;
} & (
  | { run(ctx: CliContext): Promise<number> }
  /** Opens its own databases (migrate-to-postgres): no store is opened for it. */
  | { runWithoutStore(config: Config, io: ConsoleIo, args: CliArgs): Promise<number> }
);

const json = { json: 'boolean' } as const;

const table: Record<string, CliCommand> = {
  ingest: {
    usage: 'ingest [--date YYYY-MM-DD | --from YYYY-MM-DD [--to YYYY-MM-DD] | --source arxiv] [--json]',
    summary: 'fetch feed days now (default: yesterday and today, UTC); --source arxiv polls the arXiv listing now',
    flags: { date: 'value', from: 'value', to: 'value', source: 'value', ...json },
    run: cliIngest,
  },
  backfill: {
    usage: 'backfill [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--source hf|arxiv] [--json]',
    summary: 'fetch the Daily Papers archive now (default: BACKFILL_FROM to the day before yesterday); --source arxiv --from D: arXiv history through its API',
    flags: { from: 'value', to: 'value', source: 'value', ...json },
    takesArguments: false,
    run: cliBackfill,
  },
  search: { usage: 'search <query> [--limit N] [--json]', summary: 'search stored papers', flags: { limit: 'value', ...json }, run: cliSearch },
  today: {
    usage: 'today [--limit N] [--sort upvotes|new|rising] [--source hf|arxiv] [--json]',
    summary: "the latest day's papers (--source arxiv: the latest arXiv announcement)",
    flags: { limit: 'value', sort: 'value', source: 'value', ...json },
    run: cliToday,
  },
  paper: { usage: 'paper <arXiv id or URL> [--json]', summary: 'one paper in full', flags: json, run: cliPaper },
  trending: {
    usage: 'trending [--window day|week|month] [--limit N] [--json]',
    summary: 'stored papers gaining upvotes fastest',
    flags: { window: 'value', limit: 'value', ...json },
    run: cliTrending,
  },
  similar: { usage: 'similar <arXiv id or URL> [--limit N] [--json]', summary: 'papers like one paper', flags: { limit: 'value', ...json }, run: cliSimilar },
  saved: {
    usage: 'saved --user <id> [--platform console|discord|slack] [--format list|bibtex] [--json]',
    summary: "a user's reading list, or its BibTeX file",
    flags: { user: 'value', platform: 'value', format: 'value', ...json },
    run: cliSaved,
  },
  watch: {
    usage: 'watch add|list|remove --user <id> [--platform console|discord|slack] [--artifacts yes|no] [query | number]',
    summary: "manage a user's watches",
    flags: { user: 'value', platform: 'value', artifacts: 'value', ...json },
    run: cliWatch,
  },
  digest: { usage: 'digest preview [YYYY-MM-DD] [--json]', summary: 'what the console digest would post', flags: { date: 'value', ...json }, run: cliDigest },
  'register-commands': {
    usage: 'register-commands [--guild ID]',
    summary: 'register /papers on Discord',
    flags: { guild: 'value' },
    takesArguments: false,
    run: cliRegisterCommands,
  },
  backup: { usage: 'backup <file or directory> [--force]', summary: 'copy the database safely, even while the bot runs', flags: { force: 'boolean' }, run: cliBackup },
  'migrate-to-postgres': {
    usage: 'migrate-to-postgres --from <SQLite file> [--bot-stopped] [--json]',
    summary: 'copy a SQLite install into the PostgreSQL database DATABASE_URL names (resumable; counts verified)',
    flags: { from: 'value', 'bot-stopped': 'boolean', ...json },
    takesArguments: false,
    // Loaded when asked for: it brings node-postgres, which no other command of a SQLite install needs.
    runWithoutStore: async (config, io, args) => (await import('./platforms/console/cli-migrate.ts')).cliMigrateToPostgres(config, io, args),
  },
};

function helpRows(): Array<[string, string]> {
  return [
    ['start', 'run the bot: every platform with tokens, else the console'],
    ...Object.values(table).map((command): [string, string] => [command.usage, command.summary]),
    ['invite-url', 'the link that adds the bot to a Discord server'],
    ['help [command]', "this text, or one command's usage"],
  ];
}

function helpText(): string {
  const rows = helpRows();
  return [
    'Usage: paperboy <command> [options]',
    '',
    ...rows.map(([usage, summary]) => `  ${usage}\n      ${summary}`),
    '',
    'Configuration comes from the environment and ./.env (see .env.example).',
    'Put a query that starts with "-" after --, e.g. paperboy search -- -survey diffusion.',
    'Exit codes: 0 ok, 1 the operation failed, 2 wrong command line.',
  ].join('\n');
}

export async function runCli(argv: string[], io: ConsoleIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // No command is a wrong command line: the usage goes to stderr, so a script sees exit 2.
    io.stderr.write(`${helpText()}\n`);
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') return helpCommand(rest, io);
  if (name === 'start') return startCommand(rest, io);
  const command = table[name];
  if (name !== 'invite-url' && !command) {
    printError(io, `unknown command "${name}". Run paperboy help for the list.`);
    return 2;
  }
  try {
    const args = parseCliArgs(rest, command?.flags ?? {});
    if (args.flags.help === true) {
      printText(io, `Usage: paperboy ${command?.usage ?? name}`);
      return 0;
    }
    if (!command || command.takesArguments === false) rejectArguments(name, args.positionals);
    const config = configOrExit(io);
    if (!config) return 1;
    if (!command) return await cliInviteUrl(config, io);
    if ('runWithoutStore' in command) return await command.runWithoutStore(config, io, args);
    const { deps, close } = await openCliDeps(config, io);
    try {
      return await command.run({ deps, io, args });
    } finally {
      await close();
    }
  } catch (err) {
    if (err instanceof UsageError) {
      printError(io, `${err.message}. Usage: paperboy ${command?.usage ?? name}`);
      return 2;
    }
    printError(io, err instanceof Error ? err.message : String(err));
    return 1;
  }
}

/** `help` (everything, on stdout) or `help <command>` (its usage and summary). */
function helpCommand(rest: string[], io: ConsoleIo): number {
  const [topic, ...extra] = rest;
  if (topic === undefined) {
    printText(io, helpText());
    return 0;
  }
  if (extra.length > 0) {
    printError(io, 'help takes at most one command, e.g. paperboy help backup');
    return 2;
  }
  const row = helpRows().find(([usage]) => usage === topic || usage.startsWith(`${topic} `));
  if (!row) {
    printError(io, `unknown command "${topic.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 40)}". Run paperboy help for the list.`);
    return 2;
  }
  printText(io, `Usage: paperboy ${row[0]}\n    ${row[1]}`);
  return 0;
}

async function startCommand(rest: string[], io: ConsoleIo): Promise<number> {
  if (rest.length > 0) {
    printError(io, `start takes no arguments (got ${rest.join(' ')}); configure it with environment variables.`);
    return 2;
  }
  const config = configOrExit(io);
  if (!config) return 1;
  // Loaded here so that the other commands do not pay for the platform libraries.
  const { runBot } = await import('./main.ts');
  return runBot(config, io);
}

function configOrExit(io: ConsoleIo): Config | null {
  try {
    return loadConfig(readEnv('.env'));
  } catch (err) {
    if (err instanceof ConfigError) printProblems(io, 'invalid configuration:', err.problems);
    else printError(io, `could not read the configuration: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
