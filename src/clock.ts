/** The only source of "now" in the core; tests pass a fixed or manual clock. */
export type Clock = {
  now(): Date;
  /** Today's feed day (UTC), YYYY-MM-DD. */
  today(): string;
};

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => toFeedDate(new Date()),
};

export function toFeedDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Adds whole days to a YYYY-MM-DD feed day. */
export function addDays(feedDate: string, days: number): string {
  const d = new Date(`${feedDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return toFeedDate(d);
}

/** Every feed day from `from` to `to`, both included, oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

export function isFeedDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  // 2026-13-01 is an Invalid Date: toISOString would throw.
  return !Number.isNaN(date.getTime()) && toFeedDate(date) === text;
}

/** A clock frozen at `iso`, or moved by hand with `set`/`advance` (tests, benchmarks). */
export function fixedClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let current = new Date(iso);
  return {
    now: () => new Date(current),
    today: () => toFeedDate(current),
    set(next: string) {
      current = new Date(next);
    },
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
    },
  };
}
