// Wall-clock arithmetic in IANA zones with nothing but Intl: enough to say when a channel's
// digest posts next (`status`, `digest show`). The scheduler decides the real times.

/** Wall-clock parts of `instant` in `timeZone`. */
function wallClock(instant: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetMs(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instant.getTime() - instant.getUTCMilliseconds());
}

/** The instant when the wall clock in `timeZone` shows the given local date and time. */
function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  // Two passes settle the offset across a DST change; a time skipped by DST lands an hour later.
  const first = guess - offsetMs(new Date(guess), timeZone);
  return new Date(guess - offsetMs(new Date(first), timeZone));
}

/** Next instant after `now` at local `time` (HH:MM) in `timeZone`. */
export function nextDigestAt(time: string, timeZone: string, now: Date): Date {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  const today = wallClock(now, timeZone);
  for (let add = 0; add <= 2; add += 1) {
    const local = new Date(Date.UTC(today.year, today.month - 1, today.day + add));
    const candidate = zonedInstant(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), hour, minute, timeZone);
    if (candidate.getTime() > now.getTime()) return candidate;
  }
  return new Date(now.getTime() + 24 * 60 * 60 * 1000);
}

/** `2026-09-02 09:00 GMT+2 (in 22 h 30 min)`. */
export function formatLocal(instant: Date, timeZone: string, now: Date): string {
  const w = wallClock(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const zoneName =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${zoneName} (${formatDuration(instant.getTime() - now.getTime())})`;
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
