import { addDays } from '../clock.ts';

// Wall-clock reading in an IANA zone with Intl only. Whether a digest is due is decided by asking
// "what does the channel's clock say now?", which stays correct across DST changes (a skipped 02:30
// counts as passed at 03:00; a repeated 02:30 is the same local day). Local times become instants
// (zonedInstant) to say when something next happens: a channel's next post (nextDigestAt), arXiv's
// next announcement (src/arxiv/schedule.ts).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date (YYYY-MM-DD) and minutes since local midnight of `instant` in `timeZone`. */
export function localDateTime(instant: number, timeZone: string): { date: string; minutes: number } {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '00';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/** 'HH:MM' → minutes since midnight. */
function timeToMinutes(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** The zone's offset from UTC at `instant`, in minutes (east positive: Berlin in summer = 120). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const local = localDateTime(instant, timeZone);
  const localAsUtc = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000;
  const utcMinute = Math.floor(instant / 60_000) * 60_000;
  return Math.round((localAsUtc - utcMinute) / 60_000);
}

/**
 * The feed day covered by the most recent scheduled post at or before `now`.
 *
 * Rule: the post made on local date L at the channel's time covers feed day L − 1 ("yesterday"),
 * unless that UTC day has not ended yet at the post time (east of UTC, a time earlier than the
 * offset: 09:00 in Auckland is 21:00 UTC of L − 1); then it covers L − 2. Either way each local
 * day's post covers the most recent complete feed day, and consecutive days cover consecutive
 * feed days. The offset is read at `now`; on a DST night this can shift one post by a day
 * (never repeating or skipping a feed day: the watermark decides).
 */
export function scheduledFeedDay(time: string, timeZone: string, now: number): string {
  const local = localDateTime(now, timeZone);
  const minutes = timeToMinutes(time);
  const postDate = local.minutes >= minutes ? local.date : addDays(local.date, -1);
  const utcDayStillRunning = minutes - offsetMinutes(now, timeZone) < 0;
  return addDays(postDate, utcDayStillRunning ? -2 : -1);
}

/**
 * The first instant when the clock in `timeZone` shows `minutes` past midnight of local `date`
 * (the earlier of a time repeated by DST), or, for a time skipped by DST (02:30 on a
 * spring-forward night), the end of the gap (03:00): the minute the due rule counts it as passed.
 */
export function zonedInstant(date: string, minutes: number, timeZone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  // Two passes settle the offset across most DST changes; the checks below handle the rest.
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  const settled = guess - offsetMinutes(first, timeZone) * 60_000;
  const shows = (at: number) => {
    const local = localDateTime(at, timeZone);
    return local.date === date && local.minutes === minutes;
  };
  const halfHour = 30 * 60_000;
  if (shows(settled)) {
    // A repeated time: the clock showed it half an hour or an hour before, too.
    for (const back of [2 * halfHour, halfHour]) if (shows(settled - back)) return settled - back;
    return settled;
  }
  // Skipped: the first minute the clock reads it or later. DST gaps are at most a few hours.
  const reached = (at: number) => {
    const local = localDateTime(at, timeZone);
    return local.date > date || (local.date === date && local.minutes >= minutes);
  };
  let low = settled - 8 * halfHour;
  let high = settled + 8 * halfHour;
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (reached(middle)) high = middle;
    else low = middle;
  }
  return high;
}

/** Next instant after `now` at local `time` (HH:MM) in `timeZone`: when a channel's digest posts next. */
export function nextDigestAt(time: string, timeZone: string, now: number): number {
  const today = localDateTime(now, timeZone).date;
  for (let add = 0; add <= 2; add += 1) {
    const candidate = zonedInstant(addDays(today, add), timeToMinutes(time), timeZone);
    if (candidate > now) return candidate;
  }
  return now + 24 * 60 * 60 * 1000;
}
