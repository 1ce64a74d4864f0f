// A seeded pseudo-random source (mulberry32) for the crash tests: the same seed gives the same
// kill moments and proxy delays, so a failing run can be replayed with CRASH_SEED=<seed>.

export type Random = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [min, max]. */
  int(min: number, max: number): number;
};

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

/** The seed to use: CRASH_SEED from the environment when set, else `fallback`. */
export function crashSeed(fallback: number): number {
  const fromEnv = Number(process.env.CRASH_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}
