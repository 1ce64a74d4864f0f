// Small measurement helpers. Times come from process.hrtime (monotonic, sub-µs) in milliseconds.

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `fn` and returns its result with the elapsed wall time in ms. */
export function timed<T>(fn: () => T): { result: T; ms: number } {
  const start = nowMs();
  const result = fn();
  return { result, ms: nowMs() - start };
}

export async function timedAsync<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = nowMs();
  const result = await fn();
  return { result, ms: nowMs() - start };
}

/** Nearest-rank percentile (p in 0..100) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((sum, x) => sum + x, 0) / samples.length;
}

/** 100_000 → "100k", 1_000_000 → "1M". */
export function sizeLabel(size: number): string {
  if (size >= 1_000_000 && size % 1_000_000 === 0) return `${size / 1_000_000}M`;
  if (size >= 1000 && size % 1000 === 0) return `${size / 1000}k`;
  return String(size);
}

/** "100k" | "1m" | "1M" | "2500" → number. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text} (use e.g. 10k, 100k, 1m)`);
  const unit = match[2]?.toLowerCase();
  return Math.round(Number(match[1]) * (unit === 'k' ? 1000 : unit === 'm' ? 1_000_000 : 1));
}
