// Bench output: progress goes to stderr (so `bench/run.ts > table.md` keeps only the table), with
// the time since start, because a reader of a long run wants to know where the minutes went.

const started = Date.now();

export function say(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${message}\n`);
}
