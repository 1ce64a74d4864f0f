// Waiting in tests: for a condition that has no event to await (a child process's database, a
// fake server's request log), and for a fixed time where the time itself is the point.

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `check` holds, asking every `stepMs`; after `timeoutMs` throws an error naming
 * `what`, so a test that waits in vain says for what.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, options: { timeoutMs?: number; stepMs?: number } = {}): Promise<void> {
  const { timeoutMs = 15_000, stepMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(stepMs);
  }
}
