import type Database from 'better-sqlite3';
import type { Config } from '../../config.ts';
import { copySqliteToPostgres, CopyRefusedError, type CopyProgress, type CopyReport } from '../../store/copy-to-postgres/copy-to-postgres.ts';
import { openCopySource } from '../../store/copy-to-postgres/open-source.ts';
import { runningBot } from '../../store/copy-to-postgres/running-bot.ts';
import { REPLICA_DEAD_AFTER_MS } from '../../replicas/heartbeat.ts';
import { describeDatabase } from '../../store/open-store.ts';
import { openPostgres, type PostgresDb } from '../../store/postgres/open-postgres.ts';
import { DatabaseOpenError, innermostMessage } from '../../store/sqlite/db-path.ts';
import { flagValue, UsageError, type CliArgs } from './cli-args.ts';
import { printError, printJson, printText, type ConsoleIo, type OutStream } from './console-io.ts';

/**
 * `migrate-to-postgres --from <SQLite file> [--bot-stopped]`: copies a SQLite install into the
 * PostgreSQL database DATABASE_URL names (store/copy-to-postgres/). Progress goes to stderr, the
 * counts to stdout (or one JSON value with --json). Exit 1 when it refuses (a bot still running on
 * the file among the reasons; --bot-stopped overrides that one) or the counts do not match.
 */
export async function cliMigrateToPostgres(config: Config, io: ConsoleIo, args: CliArgs): Promise<number> {
  const from = flagValue(args, 'from');
  if (from === undefined || from.trim() === '') throw new UsageError('migrate-to-postgres needs --from <the SQLite database to copy>, e.g. --from ./data/paperboy.db');
  if (config.DATABASE_URL === undefined) {
    printError(io, 'migrate-to-postgres copies into PostgreSQL: set DATABASE_URL to the target, e.g. DATABASE_URL=postgres://paperboy@db:5432/paperboy.');
    return 1;
  }
  let source: Database.Database;
  try {
    source = openCopySource(from);
  } catch (err) {
    if (!(err instanceof DatabaseOpenError)) throw err;
    printError(io, err.message);
    return 1;
  }
  let target: PostgresDb | undefined;
  try {
    const bot = args.flags['bot-stopped'] === true ? null : runningBot(source, Date.now(), REPLICA_DEAD_AFTER_MS);
    if (bot) {
      printError(
        io,
        `--from ${from}: a paperboy bot is running on it (its heartbeat is ${bot.secondsAgo} s old, pid ${bot.pid} on ${bot.host}): stop it first, ` +
          'or what it writes after the copy starts is lost; nothing was copied. If it is stopped (killed less than 30 s ago), pass --bot-stopped.',
      );
      return 1;
    }
    try {
      // Indexes an earlier, killed copy deferred stay deferred: this copy builds them when it is done.
      target = await openPostgres(config.DATABASE_URL, { deferredIndexes: { build: false } });
    } catch (err) {
      printError(io, `DATABASE_URL=${targetName(config.DATABASE_URL)}: cannot open the database (${innermostMessage(err) || 'no answer'}).`);
      return 1;
    }
    const to = targetName(config.DATABASE_URL, await currentSchema(target));
    io.stderr.write(`Copying ${from} into ${to}\n`);
    const progress = progressLines(io.stderr);
    // Ctrl-C stops the copy where it is (each batch is its own transaction): say how to finish.
    const interrupted = () => {
      io.stderr.write('interrupted: what was copied stays; run migrate-to-postgres again to finish the copy.\n');
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    let report: CopyReport;
    try {
      report = await copySqliteToPostgres(source, target.$client, {
        onProgress: progress,
        onIndex: (name) => io.stderr.write(`building index ${name} (a few minutes for a million papers)\n`),
      });
    } catch (err) {
      if (!(err instanceof CopyRefusedError)) throw err;
      printError(io, err.message);
      return 1;
    } finally {
      process.off('SIGINT', interrupted);
    }
    if (args.flags.json === true) printJson(io, { from, to, verified: report.verified, tables: report.tables });
    else printText(io, summary(from, to, report));
    if (!report.verified) {
      const off = report.tables.filter((table) => table.source !== table.target).map((table) => `${table.table} ${table.target} of ${table.source}`);
      printError(io, `the row counts differ (${off.join(', ')}): did something write to the target during the copy? Run migrate-to-postgres again.`);
      return 1;
    }
    return 0;
  } finally {
    source.close();
    await target?.$client.end();
  }
}

/** `postgres://db:5432/paperboy, schema paperboy`: where the copy goes, never the password. */
function targetName(url: string, schema?: string): string {
  return describeDatabase({ DATABASE_URL: url, DATABASE_PATH: '' }, schema);
}

/** The schema the tables land in: what the server resolved, whatever set the search_path. */
async function currentSchema(target: PostgresDb): Promise<string | undefined> {
  const { rows } = await target.$client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  return rows[0]?.schema ?? undefined;
}

/** One line per table when it is done, and at most one a second while a big one copies. */
function progressLines(out: OutStream): (progress: CopyProgress) => void {
  let lastAt = 0;
  return ({ table, done, total }) => {
    const now = Date.now();
    if (done < total && now - lastAt < 1000) return;
    lastAt = now;
    out.write(`${table}: ${done}/${total} rows\n`);
  };
}

function summary(from: string, to: string, report: CopyReport): string {
  const width = Math.max(...report.tables.map((table) => table.table.length));
  const lines = report.tables.map((table) => `  ${table.table.padEnd(width)}  ${String(table.target).padStart(9)} rows (${table.copied} copied now)`);
  const verdict = report.verified ? 'Row counts verified: every table holds as many rows as the source.' : 'Row counts DIFFER from the source.';
  return [`Copied ${from} into ${to}:`, ...lines, verdict].join('\n');
}
