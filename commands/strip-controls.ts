import { ansiEscapes } from '../src/papers/clean-text.ts';

// Escape sequences are dropped whole: turning only ESC into a space left `[31mdiffusion` as a query
// word no paper holds.

/**
 * User text as it may be shown back: ANSI escape sequences go, control characters (newlines, tabs,
 * NUL) become spaces, format characters (RLO and other bidi overrides, zero-width ones) and lone
 * surrogates go, so an echo can neither break a reply's layout nor reorder what it shows.
 */
export function stripControls(text: string): string {
  return text
    .replace(ansiEscapes, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[\p{Cf}\p{Cs}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}
