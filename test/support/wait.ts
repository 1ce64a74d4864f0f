// Waiting in tests: for a condition that has no event to await (a child process's database, a
// fake server's request log), and for a fixed time where the time itself is the point.

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Falsy = false | 0 | 0n | '' | null | undefined;

/**
 * Resolves, with what `check` gave, once `check` gives something truthy, asking every `stepMs`;
 * after `timeoutMs` throws an error naming `what` (a function is asked then, so the error can say
 * what was there instead), so a test that waits in vain says for what.
 */
export async function until<T>(check: () => T | Promise<T>, what: string | (() => string), options: { timeoutMs?: number; stepMs?: number } = {}): Promise<Exclude<T, Falsy>> {
  const { timeoutMs = 15_000, stepMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, Falsy>;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${typeof what === 'function' ? what() : what}`);
    await sleep(stepMs);
  }
}
