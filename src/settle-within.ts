/**
 * Waits for `work` at most `ms`: its value if it settled in time, else undefined (the work goes
 * on; nothing cancels it). Rejects if `work` rejects in time. The timer is cleared either way, so
 * a bounded wait never holds the process open.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
