import type { Readable, Writable } from 'node:stream';

// The console platform is the one place that writes program output to the terminal. Everything
// else (CLI, console adapter) goes through these streams, so tests can pass their own.

export type OutStream = Writable & { isTTY?: boolean; columns?: number };
export type InStream = Readable & { isTTY?: boolean };

/** Anything text can be written to: a stream, or the prompt's print-above-me. */
export type TextSink = { write(text: string): unknown };

export type ConsoleIo = { stdout: OutStream; stderr: OutStream; stdin: InStream };

export function processIo(): ConsoleIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

export function printText(io: Pick<ConsoleIo, 'stdout'>, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `--json`: exactly one JSON value on stdout, nothing else. */
export function printJson(io: Pick<ConsoleIo, 'stdout'>, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Errors are one line on stderr, so scripts can show them as they are. */
export function printError(io: Pick<ConsoleIo, 'stderr'>, text: string): void {
  io.stderr.write(`paperboy: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
}

/** A problem list (invalid configuration): a heading and one indented line per problem, on stderr. */
export function printProblems(io: Pick<ConsoleIo, 'stderr'>, heading: string, problems: string[]): void {
  io.stderr.write(`paperboy: ${heading}\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
}
