// AssemblyScript port of cli/mnist/fixed-math.ts: the counter RNG, integer Gaussian init, per-epoch
// Feistel permutation, softmax exp and loss ln. Every function must give exactly the same integers
// as its TypeScript twin (test/mnist-guest.test.ts checks them against each other).

import { EXP_HI, EXP_LO } from "./exp-tables";

export function mix32(x: u32): u32 {
  x ^= x >>> 16;
  x *= 0x21f0aaad;
  x ^= x >>> 15;
  x *= 0x735a2d97;
  x ^= x >>> 15;
  return x;
}

export function mix2(a: u32, b: u32): u32 {
  return mix32(a ^ mix32(b ^ 0x9e3779b9));
}

const TAG_INIT: u32 = 0x494e4954;
const TAG_PERM: u32 = 0x5045524d;

/** Floor square root (Newton's method on integers), v ≥ 1. */
export function isqrt(v: u64): u64 {
  let x = v;
  let y = (x + 1) >> 1;
  while (y < x) {
    x = y;
    y = (x + v / x) >> 1;
  }
  return x;
}

export function initStdRaw(fan: u32): i32 {
  return <i32>isqrt((<u64>1 << 33) / <u64>fan);
}

export function initKey(seed: u32, l: u32): u32 {
  return mix2(mix2(seed, TAG_INIT), l);
}

export function gaussianRaw(key: u32, i: u32): i32 {
  let s: i32 = 0;
  const c = 12 * i;
  for (let t: u32 = 0; t < 12; t++) s += <i32>(mix2(key, c + t) >>> 16);
  return s - 6 * 65536;
}

export function initWeight(key: u32, index: u32, stdRaw: i32): i32 {
  return <i32>((<i64>gaussianRaw(key, index) * <i64>stdRaw + 32768) >> 16);
}

export const FEISTEL_ROUNDS = 6;

export function feistelHalfBits(n: u32): u32 {
  let h: u32 = 1;
  while ((<u64>1 << (2 * <u64>h)) < <u64>n) h++;
  return h;
}

/** Writes the FEISTEL_ROUNDS round keys of `epoch` to keys[0..6). */
export function epochKeys(seed: u32, epoch: u32, keys: usize): void {
  const base = mix2(mix2(seed, TAG_PERM), epoch);
  for (let r: u32 = 0; r < <u32>FEISTEL_ROUNDS; r++) store<u32>(keys + 4 * r, mix2(base, r));
}

export function permute(keys: usize, h: u32, i: u32, n: u32): u32 {
  const mask: u32 = (1 << h) - 1;
  let x = i;
  do {
    let left = x >>> h;
    let right = x & mask;
    for (let r = 0; r < FEISTEL_ROUNDS; r++) {
      const f = mix2(load<u32>(keys + 4 * r), right) & mask;
      const nr = left ^ f;
      left = right;
      right = nr;
    }
    x = (left << h) | right;
  } while (x >= n);
  return x;
}

const Q26: i64 = 67108864;

// round(e^−q · 2^26), q = 0..11
const EXP_NEG_INT_Q26: StaticArray<i64> = [
  67108864, 24687971, 9082197, 3341154, 1229142, 452176, 166346, 61195, 22513, 8282, 3047, 1121,
];

/** exp(−x / 2^26) · 2^26 for 0 ≤ x < 2^26: 12 truncated Taylor terms (fixed-math.ts expSeriesQ26; the tables of
 *  exp-tables.ts hold its values, tested against this function in test/mnist-guest.test.ts). */
export function expSeriesQ26(x: i64): i64 {
  let t: i64 = Q26;
  let sum: i64 = Q26;
  for (let n: i64 = 1; n <= 12; n++) {
    t = (t * x) >> 26;
    t = t / n;
    sum += (n & 1) != 0 ? -t : t;
  }
  return sum;
}

/** exp(d / 2^16) · 2^16 for raw d ≤ 0: exp(−q)·exp(−fh/2^8)·exp(−fl/2^16) by table (fixed-math.ts). */
export function expNeg(d: i32): i32 {
  assert(d <= 0, "expNeg: positive argument");
  const m: u32 = <u32>(-<i64>d);
  const q = m >> 16;
  if (q >= 12) return 0;
  // EXP_HI/EXP_LO: static data of the image (exp-tables.ts, generated from the series below), no start-up cost
  const frac = (unchecked(EXP_HI[(m >> 8) & 255]) * unchecked(EXP_LO[m & 255])) >> 26;
  return <i32>((unchecked(EXP_NEG_INT_Q26[q]) * frac + (<i64>1 << 35)) >> 36);
}

const LN2_Q26: i64 = 46516320;

/** ln(y / 2^16) · 2^16 for raw y ≥ 2^16. */
export function lnAtLeastOne(y: i32): i32 {
  assert(y >= 65536, "lnAtLeastOne: argument below 1");
  const k: i32 = 31 - clz(y) - 16;
  const m: i64 = k <= 10 ? <i64>y << (10 - k) : <i64>y >> (k - 10);
  const s: i64 = ((m - Q26) * Q26) / (m + Q26);
  const s2: i64 = (s * s) >> 26;
  let t = s;
  let sum = s;
  for (let i: i64 = 1; i <= 8; i++) {
    t = (t * s2) >> 26;
    sum += t / (2 * i + 1);
  }
  return <i32>((<i64>k * LN2_Q26 + 2 * sum + 512) >> 10);
}
