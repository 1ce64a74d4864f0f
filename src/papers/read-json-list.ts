import { z } from 'zod';

const JsonList = z.array(z.string());

/** A JSON list column we wrote (authors, categories, keywords); a damaged value reads as empty instead of breaking a reply. */
export function readJsonList(text: string | null): string[] {
  if (text === null) return [];
  try {
    const parsed = JsonList.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
