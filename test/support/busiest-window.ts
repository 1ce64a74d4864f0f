import { WINDOW_MS } from '../../src/feed/hf-budget.ts';

/** The most of `times` (epoch ms) that fall in any one window of WINDOW_MS: the HF budget's limit applies to it. */
export function busiestWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= WINDOW_MS) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
