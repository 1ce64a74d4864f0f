/**
 * The only source of "now" in the core; tests pass a fixed or manual clock. One convention for
 * time: an instant is a number of epoch milliseconds, in every signature; a feed day is a
 * YYYY-MM-DD string. `Date` objects exist only inside the functions that read calendar fields.
 */
export type Clock = {
  now(): number;
  /** Today's feed day (UTC), YYYY-MM-DD. */
  today(): string;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  today: () => toFeedDate(Date.now()),
};

/** The UTC day (YYYY-MM-DD) of an instant. */
export function toFeedDate(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** `2026-09-01 09:30 UTC`: an instant as status lines show it. */
export function formatUtc(instant: number): string {
  return `${new Date(instant).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Adds whole days to a YYYY-MM-DD feed day. */
export function addDays(feedDate: string, days: number): string {
  return toFeedDate(Date.parse(`${feedDate}T00:00:00Z`) + days * 86_400_000);
}

/** Every feed day from `from` to `to`, both included, oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

export function isFeedDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const instant = Date.parse(`${text}T00:00:00Z`);
  // 2026-13-01 does not parse (NaN): toISOString would throw.
  return !Number.isNaN(instant) && toFeedDate(instant) === text;
}

/** A clock frozen at `iso`, or moved by hand with `set`/`advance` (tests, benchmarks). */
export function fixedClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let current = Date.parse(iso);
  return {
    now: () => current,
    today: () => toFeedDate(current),
    set(next: string) {
      current = Date.parse(next);
    },
    advance(ms: number) {
      current += ms;
    },
  };
}
