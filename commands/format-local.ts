import { localDateTime } from '../src/digest/local-time.ts';

// How `status` and `digest show` say when a digest posts next (the time itself comes from
// src/digest/local-time.ts, the same wall-clock reading the scheduler uses).

/** `2026-09-02 09:00 GMT+2 (in 22 h 30 min)`. */
export function formatLocal(instant: number, timeZone: string, now: number): string {
  const local = localDateTime(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const zoneName =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  return `${local.date} ${pad(Math.floor(local.minutes / 60))}:${pad(local.minutes % 60)} ${zoneName} (${formatDuration(instant - now)})`;
}

/** `in 3 h 5 min`, `in 40 s`, `2 h ago`. */
export function formatDuration(ms: number): string {
  const future = ms >= 0;
  const total = Math.abs(ms);
  const minutes = Math.floor(total / 60_000);
  const text =
    total < 60_000
      ? `${Math.round(total / 1000)} s`
      : minutes < 60
        ? `${minutes} min`
        : minutes < 48 * 60
          ? `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`
          : `${Math.floor(minutes / 1440)} days`;
  return future ? `in ${text}` : `${text} ago`;
}
