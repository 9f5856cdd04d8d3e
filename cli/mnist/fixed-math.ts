// Integer building blocks the training guest and the Q16.16 emulator share, bit for bit:
// a hash-based counter RNG, the integer Gaussian weight initialisation, the per-epoch sample
// permutation, and the softmax exp / loss ln. guests/mnist-train/assembly/mathlib.ts is the
// AssemblyScript port of exactly these definitions; test/mnist-guest.test.ts checks both agree
// (exp exhaustively over its whole non-zero domain).
//
// Exactness in TypeScript: every intermediate below is an integer of magnitude < 2^53, so plain
// doubles compute it exactly (the bound is stated at each step); the guest uses i64/u32.

/** R(a, s) = (a + 2^(s−1)) >> s, round half up, for integers |a| < 2^53 (s ≥ 1). */
export function roundShift(a: number, s: number): number {
  return Math.floor((a + 2 ** (s - 1)) / 2 ** s);
}

// ---------------------------------------------------------------------------------------------
// Hashing RNG (u32 in, u32 out). A counter-based design: value i of a stream is mix2(key, i), so any
// element can be produced without generating its predecessors (useful for per-batch proving).

/** A 32-bit avalanche mixer (xor-shift / multiply rounds). */
export function mix32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** Keyed mix of two u32 words. */
export function mix2(a: number, b: number): number {
  return mix32((a ^ mix32((b ^ 0x9e3779b9) >>> 0)) >>> 0);
}

const TAG_INIT = 0x494e4954; // "INIT"
const TAG_PERM = 0x5045524d; // "PERM"

// ---------------------------------------------------------------------------------------------
// Weight initialisation: Irwin–Hall Gaussian (sum of 12 uniforms of 16 bits, minus 6) scaled by an
// integer standard deviation. Exact and reproducible, bounded by ±6σ.

/** Floor square root of an integer 0 ≤ v < 2^52. */
export function isqrt(v: number): number {
  let s = Math.floor(Math.sqrt(v));
  while (s * s > v) s--;
  while ((s + 1) * (s + 1) <= v) s++;
  return s;
}

/** Q16.16 standard deviation sqrt(2 / fan), as isqrt(floor(2^33 / fan)). */
export function initStdRaw(fan: number): number {
  return isqrt(Math.floor(2 ** 33 / fan));
}

/** Key of layer l's init stream (l = 1 for the first weight matrix). */
export function initKey(seed: number, l: number): number {
  return mix2(mix2(seed >>> 0, TAG_INIT), l);
}

/** Approximately N(0, 1) in Q16.16: Σ_{t<12} (mix2(key, 12i + t) >>> 16) − 6·65536. */
export function gaussianRaw(key: number, i: number): number {
  let s = 0;
  const c = (12 * i) >>> 0;
  for (let t = 0; t < 12; t++) s += mix2(key, (c + t) >>> 0) >>> 16;
  return s - 6 * 65536;
}

/**
 * Initial weight j·n_in + k of layer l: R(gaussian · std, 16), std = He (hidden layers, fan = n_in) or
 * Glorot (output layer, fan = n_in + n_out). |gaussian·std| < 2^19 · 2^17: exact.
 */
export function initWeight(key: number, index: number, stdRaw: number): number {
  return roundShift(gaussianRaw(key, index) * stdRaw, 16);
}

// ---------------------------------------------------------------------------------------------
// Sample order: a keyed permutation of [0, n) per epoch, a 6-round balanced Feistel network on
// 2h bits (2^(2h) ≥ n) with cycle walking. Sample of position i in epoch e: permute(seed, e, i, n).

export const FEISTEL_ROUNDS = 6;

/** Half width h of the Feistel domain for n items: the smallest h ≥ 1 with 4^h ≥ n. */
export function feistelHalfBits(n: number): number {
  let h = 1;
  while (4 ** h < n) h++;
  return h;
}

/** The round keys of epoch e. */
export function epochKeys(seed: number, epoch: number): Uint32Array {
  const k = new Uint32Array(FEISTEL_ROUNDS);
  const base = mix2(mix2(seed >>> 0, TAG_PERM), epoch >>> 0);
  for (let r = 0; r < FEISTEL_ROUNDS; r++) k[r] = mix2(base, r);
  return k;
}

/** Position i ∈ [0, n) → sample index ∈ [0, n), a bijection for fixed keys. */
export function permute(keys: Uint32Array, h: number, i: number, n: number): number {
  const mask = (1 << h) - 1;
  let x = i;
  do {
    let left = x >>> h;
    let right = x & mask;
    for (let r = 0; r < FEISTEL_ROUNDS; r++) {
      const f = mix2(keys[r]!, right) & mask;
      const nr = left ^ f;
      left = right;
      right = nr;
    }
    x = (left << h) | right;
  } while (x >= n);
  return x;
}

// ---------------------------------------------------------------------------------------------
// exp on (−∞, 0] for the softmax, Q16.16 in and out. m = −d = q·2^16 + f with f = fh·2^8 + fl:
//   exp(−m/2^16) = exp(−q) · exp(−fh/2^8) · exp(−fl/2^16)
// exp(−q) comes from a constant table (Q26); the two 256-entry tables EXP_HI/EXP_LO (Q26) are computed
// by expSeriesQ26 (12 Taylor terms, truncated), by the guest at start-up exactly as here. Products are
// truncated to Q26 once and the result rounded once. Absolute error < 2^−7 raw units: faithful, and
// almost always the correctly rounded value (the test measures it against Math.exp).

const Q26 = 67108864;
/** round(e^−q · 2^26), q = 0..11. For q ≥ 12, e^−q·2^16 < 0.41, which rounds to 0. */
export const EXP_NEG_INT_Q26: readonly number[] = [
  67108864, 24687971, 9082197, 3341154, 1229142, 452176, 166346, 61195, 22513, 8282, 3047, 1121,
];

/** exp(−x / 2^26) · 2^26 for 0 ≤ x < 2^26 by 12 Taylor terms, each truncated (t·x < 2^52). */
export function expSeriesQ26(x: number): number {
  let t = Q26;
  let sum = Q26;
  for (let n = 1; n <= 12; n++) {
    t = Math.floor((t * x) / Q26);
    t = Math.floor(t / n);
    sum += n & 1 ? -t : t;
  }
  return sum;
}

/** EXP_HI[i] = exp(−i/2^8) and EXP_LO[i] = exp(−i/2^16), Q26, i < 256. */
export const EXP_HI: Float64Array = Float64Array.from({ length: 256 }, (_, i) => expSeriesQ26(i << 18));
export const EXP_LO: Float64Array = Float64Array.from({ length: 256 }, (_, i) => expSeriesQ26(i << 10));

/** exp(d / 2^16) · 2^16 for a raw d ≤ 0 (d ≥ −2^31). */
export function expNeg(d: number): number {
  if (d > 0) throw new RangeError(`expNeg: argument ${d} > 0`);
  const m = -d;
  const q = Math.floor(m / 65536);
  if (q >= 12) return 0;
  const f = m % 65536;
  const frac = Math.floor((EXP_HI[f >>> 8]! * EXP_LO[f & 255]!) / Q26); // ≤ 2^52
  return roundShift(EXP_NEG_INT_Q26[q]! * frac, 36); // ≤ 2^52
}

/** round(ln 2 · 2^26) */
export const LN2_Q26 = 46516320;

/** ln(y / 2^16) · 2^16 for a raw y ≥ 2^16 (the softmax denominator), via atanh series in Q26. */
export function lnAtLeastOne(y: number): number {
  if (!(y >= 65536 && y < 2 ** 31)) throw new RangeError(`lnAtLeastOne: argument ${y} outside [2^16, 2^31)`);
  const k = 31 - Math.clz32(y) - 16;
  const m = k <= 10 ? y * 2 ** (10 - k) : Math.floor(y / 2 ** (k - 10)); // Q26 in [2^26, 2^27)
  const s = Math.floor(((m - Q26) * Q26) / (m + Q26)); // < 2^52 / 2^27; s < 2^26 / 3
  const s2 = Math.floor((s * s) / Q26);
  let t = s;
  let sum = s;
  for (let i = 1; i <= 8; i++) {
    t = Math.floor((t * s2) / Q26);
    sum += Math.floor(t / (2 * i + 1));
  }
  return roundShift(k * LN2_Q26 + 2 * sum, 10);
}
