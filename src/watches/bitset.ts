// Sets of papers in a batch as bits of 32-bit words (bit i = the batch's paper i): per-token
// postings, per-term and per-query matches and each user's new papers are all of this shape.

export type Bitset = Uint32Array;

/** An empty set for `count` papers (at least one word). */
export function createBitset(count: number): Bitset {
  return new Uint32Array(Math.max(1, Math.ceil(count / 32)));
}

export function setBit(bits: Bitset, index: number): void {
  bits[index >>> 5] = (bits[index >>> 5] ?? 0) | (1 << (index & 31));
}

/** The index of the lowest set bit of a non-zero `word` that is word number `at` of a set. */
export function lowestIndex(word: number, at: number): number {
  return at * 32 + 31 - Math.clz32(word & -word);
}

/** `word` without its lowest set bit: `for (let w = word; w !== 0; w = withoutLowest(w))` visits each bit. */
export function withoutLowest(word: number): number {
  return word & (word - 1);
}

export function hasBit(bits: Bitset, index: number): boolean {
  return ((bits[index >>> 5] ?? 0) & (1 << (index & 31))) !== 0;
}

/** How many bits of `word` are set. */
export function bitCount(word: number): number {
  let n = word - ((word >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** out |= the out.length words of `bits` from word `from` (a set stored inside a larger array: one per query, end to end). */
export function orInto(out: Bitset, bits: Bitset, from = 0): void {
  for (let i = 0; i < out.length; i += 1) out[i] = (out[i] ?? 0) | (bits[from + i] ?? 0);
}

/** out &= bits, or out &= ~bits when `negate`; whether any bit is left. */
export function andInto(out: Bitset, bits: Bitset, negate = false): boolean {
  let left = 0;
  for (let i = 0; i < out.length; i += 1) {
    const word = (out[i] ?? 0) & (negate ? ~(bits[i] ?? 0) : (bits[i] ?? 0));
    out[i] = word;
    left |= word;
  }
  return left !== 0;
}

/** How many bits of the set are set. */
export function countBits(bits: Bitset): number {
  let count = 0;
  for (let i = 0; i < bits.length; i += 1) count += bitCount(bits[i] ?? 0);
  return count;
}

/** For rankOf: per word, how many bits are set in the words before it. */
export function prefixCounts(bits: Bitset): Uint16Array {
  const prefix = new Uint16Array(bits.length);
  let sum = 0;
  for (let i = 0; i < bits.length; i += 1) {
    prefix[i] = sum;
    sum += bitCount(bits[i] ?? 0);
  }
  return prefix;
}

/** The position of `index` among the set bits of `bits` (it must be set), `prefix` from prefixCounts(bits). */
export function rankOf(bits: Bitset, prefix: Uint16Array, index: number): number {
  const word = index >>> 5;
  return (prefix[word] ?? 0) + bitCount((bits[word] ?? 0) & ((1 << (index & 31)) - 1));
}
