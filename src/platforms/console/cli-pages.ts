import { findCommand } from '../../../commands/index.ts';
import { stripControls } from '../../../commands/strip-controls.ts';
import { optionSpecs } from '../../../commands/option-specs.ts';
import { RANK_WINDOW } from '../../store/store.ts';
import { flagValue, UsageError, type CliArgs } from './cli-args.ts';

// A terminal has no Next button: the CLI turns the chat pages itself, so its --limit may exceed
// a chat page, and it says how many papers it left out and how to see them.

const CLI_MAX_LIMIT = 100;

/** `--limit N`, 1 to CLI_MAX_LIMIT, or undefined when not given. Throws UsageError. */
export function cliLimit(args: CliArgs): number | undefined {
  const raw = flagValue(args, 'limit');
  if (raw === undefined) return undefined;
  const n = /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  const got = raw.trim() === '' ? 'an empty value' : stripControls(raw).slice(0, 20);
  if (!(n >= 1 && n <= CLI_MAX_LIMIT)) throw new UsageError(`--limit must be a whole number from 1 to ${CLI_MAX_LIMIT} (got ${got})`);
  return n;
}

/** The most a chat page of `name` holds (its `limit` option's maximum). */
export function chatPageSize(name: string): number {
  const definition = findCommand(name);
  const limit = definition ? optionSpecs(definition.options).find((spec) => spec.name === 'limit') : undefined;
  return limit?.max ?? 25;
}

/**
 * "Showing 10 of 40 papers; add --limit 40 to see more", or undefined when nothing was left out.
 * `allWithoutLimit`: leaving --limit out prints every paper (today).
 */
export function moreHint(shown: number, total: number, allWithoutLimit: boolean): string | undefined {
  if (shown >= total) return undefined;
  // A full ranking window means "at least this many" (search ranks only the newest matches).
  const of = `Showing ${shown} of ${total}${total >= RANK_WINDOW ? '+' : ''} papers`;
  if (allWithoutLimit) {
    const more = shown < CLI_MAX_LIMIT ? `add --limit ${Math.min(total, CLI_MAX_LIMIT)} to see more, or ` : '';
    return `${of}; ${more}leave --limit out for all of them.`;
  }
  if (shown >= CLI_MAX_LIMIT) return `${of}; --limit goes up to ${CLI_MAX_LIMIT}: narrow the query to see the rest.`;
  return `${of}; add --limit ${Math.min(total, CLI_MAX_LIMIT)} to see more (at most ${CLI_MAX_LIMIT}).`;
}
