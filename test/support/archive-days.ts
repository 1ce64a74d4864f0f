import { daysBetween } from '../../src/clock.ts';
import { hfItem } from './fake-hf.ts';

// Years of Daily Papers generated for the fake Hugging Face: a few items a weekday, none on
// weekends (like HF), each with an arXiv id of its day's month and a title naming its day.

export type GeneratedArchive = { days: string[]; items: Map<string, Array<Record<string, unknown>>>; papers: number };

export function generateArchive(from: string, to: string, perDay = 3): GeneratedArchive {
  const days = daysBetween(from, to);
  const items = new Map<string, Array<Record<string, unknown>>>();
  let papers = 0;
  days.forEach((day, index) => {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) return;
    const yymm = `${day.slice(2, 4)}${day.slice(5, 7)}`;
    const list = Array.from({ length: perDay }, (_, i) =>
      hfItem({ id: `${yymm}.${String(10000 + index * 10 + i)}`, title: `Archive paper ${i} of ${day} on diffusion`, upvotes: perDay - i }),
    );
    items.set(day, list);
    papers += list.length;
  });
  return { days, items, papers };
}
