import { addDays } from '../clock.ts';
import { localDateTime, zonedInstant } from '../digest/local-time.ts';

// arXiv announces Sunday to Thursday at 20:00 US Eastern (https://info.arxiv.org/help/availability.html);
// the RSS listing of an announcement is dated the following midnight, so announcements are named
// Monday to Friday. Nothing is announced on Friday and Saturday evenings or on arXiv's holidays.
// Everything here is computed in America/New_York, so both DST changes are handled by the zone.

const ARXIV_ZONE = 'America/New_York';
const ANNOUNCE_MINUTES = 20 * 60;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** 0 = Sunday, for a YYYY-MM-DD date. */
function weekdayOf(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

/** The America/New_York date of `instant`: how an announcement is named (from its feed's date). */
export function announcementDateOf(instant: number): string {
  return localDateTime(instant, ARXIV_ZONE).date;
}

/** Whether arXiv's feed dated `date` (America/New_York) should carry an announcement: Monday to Friday. */
export function isAnnouncementDate(date: string): boolean {
  const day = weekdayOf(date);
  return day >= 1 && day <= 5;
}

/** The next 20:00 America/New_York of a Sunday to Thursday strictly after `now`. */
function nextAnnouncementAt(now: number): number {
  const today = announcementDateOf(now);
  for (let add = 0; add <= 7; add += 1) {
    const date = addDays(today, add);
    if (weekdayOf(date) > 4) continue;
    const at = zonedInstant(date, ANNOUNCE_MINUTES, ARXIV_ZONE);
    if (at > now) return at;
  }
  throw new Error('no arXiv announcement within a week');
}

const utcTime = (instant: number) => {
  const at = new Date(instant);
  return `${WEEKDAYS[at.getUTCDay()]} ${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')} UTC`;
};

/**
 * The status line about arXiv's schedule at `now`: `next arXiv announcement: Sun 20:00 ET (Mon 01:00 UTC)`,
 * preceded on a Friday or Saturday (New York time) by `arXiv does not announce on Fridays and Saturdays`.
 */
export function scheduleText(now: number): string {
  const next = nextAnnouncementAt(now);
  const localDay = WEEKDAYS[weekdayOf(announcementDateOf(next))];
  const line = `next arXiv announcement: ${localDay} 20:00 ET (${utcTime(next)})`;
  const today = weekdayOf(announcementDateOf(now));
  return today === 5 || today === 6 ? `arXiv does not announce on Fridays and Saturdays; ${line}` : line;
}
