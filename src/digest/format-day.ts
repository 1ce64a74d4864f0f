// Fixed English names: Intl's en-GB month abbreviations vary by ICU version ("Sep" vs "Sept").
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(feedDate: string): { weekday: string; day: number; month: string; year: number } {
  const date = new Date(`${feedDate}T00:00:00Z`);
  return {
    weekday: weekdays[date.getUTCDay()] ?? '',
    day: date.getUTCDate(),
    month: months[date.getUTCMonth()] ?? '',
    year: date.getUTCFullYear(),
  };
}

/** '2026-09-01' → 'Tue 1 Sep 2026'. */
export function formatFeedDay(feedDate: string): string {
  const p = parts(feedDate);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** Oldest–newest of several feed days: 'Sat 29 Aug – Mon 31 Aug 2026' (the year once when shared). */
export function formatFeedDays(feedDates: string[]): string {
  const first = feedDates[0];
  const last = feedDates[feedDates.length - 1];
  if (first === undefined || last === undefined) return '';
  if (first === last) return formatFeedDay(first);
  const a = parts(first);
  const b = parts(last);
  const start = a.year === b.year ? `${a.weekday} ${a.day} ${a.month}` : formatFeedDay(first);
  return `${start} – ${formatFeedDay(last)}`;
}

/** The HF web page listing one feed day. */
export function dailyPageUrl(feedDate: string): string {
  return `https://huggingface.co/papers/date/${feedDate}`;
}
