// ANSI escape sequences as a coloured terminal copies them: CSI (`ESC[1;31m`), OSC (`ESC]0;title BEL`
// or ST-terminated) and two-character escapes. Dropped whole: turning only ESC into a space left
// `[31mdiffusion` as a query word no paper holds.
const ansiEscapes = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

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
