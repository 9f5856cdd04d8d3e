// Q16.16 fixed-point arithmetic for float-free guests: `import { fx } from "zkvm-guest"`.
//
// A value x is the i32 raw = round(x · 2^16), i.e. 16 integer bits (sign included) and 16 fractional
// bits: range [−32768, 32768 − 2^−16], resolution 2^−16 (one "ulp"). Everything here is integer code
// (a build step rejects floats), so results are bit-identical on every engine.
//
// Rounding: one rule everywhere, "round half up": R(a, s) = (a + 2^(s−1)) >> s on the exact integer a.
// mul, div, sqrt and dot are correctly rounded (≤ 0.5 ulp). exp, ln, sigmoid, tanh and softmax are
// computed with ~60-bit internal precision (64-bit integers, 128-bit products from 32-bit halves) and
// rounded once, so they are correctly rounded except when the exact result lies within ~2^−27 ulp of a
// half-ulp (tests found no such input; docs/fixed-point.md has the measured errors).
//
// Errors: a plain operation whose exact result leaves the i32 range stops the guest with the typed error
// FixedPointOverflow (pc and source line attached by the VM), through the same fxmul instruction trap the
// multiply uses. Division by zero stops it with DivideByZero (the i64 division instruction traps). Domain
// errors (ln of x ≤ 0, sqrt of x < 0) abort with a message (kind Abort). The *Sat variants saturate
// instead of trapping.

import { fxmul, dot as dotIntrinsic, axpy as axpyIntrinsic } from "./intrinsics";

/** 1.0 */
export const ONE: i32 = 0x10000;
/** 0.5 */
export const HALF: i32 = 0x8000;
/** Largest value, 32768 − 2^−16. */
export const MAX: i32 = i32.MAX_VALUE;
/** Smallest value, −32768. */
export const MIN: i32 = i32.MIN_VALUE;

// ---------------------------------------------------------------------------------------------------
// Traps

// Every overflow check below ends in `fxmul(MAX, TRAP + id)`: for any id ≥ 1 the product exceeds the
// range, so the instruction itself raises the typed FixedPointOverflow trap, in both engines. It is
// written out at each check with a distinct id (a shared helper, or identical trap blocks that the
// optimizer would merge, would all report one place), so the trap's pc maps to the source line of the
// operation that overflowed, and the id in the message ("2147483647 * 65538") names it: 1 fromInt,
// 2 add, 3 sub, 4 neg, 5 abs, 6 div, 7 exp. `unreachable` tells the compiler control never comes back.
const TRAP: i32 = 0x10000;

// ---------------------------------------------------------------------------------------------------
// Conversions

/** n as Q16.16; n must be in [−32768, 32767] (else FixedPointOverflow). */
export function fromInt(n: i32): i32 {
  if (n < -32768 || n > 32767) { fxmul(MAX, TRAP + 1); unreachable(); }
  return n << 16;
}

/** floor(x) as an integer. */
export function toInt(x: i32): i32 {
  return x >> 16;
}

/** x rounded to the nearest integer, halves up (2.5 → 3, −2.5 → −2). */
export function toIntRound(x: i32): i32 {
  return (x >> 16) + ((x >> 15) & 1);
}

// ---------------------------------------------------------------------------------------------------
// Add, subtract, negate, compare

/** a + b; FixedPointOverflow if the sum leaves the range. */
export function add(a: i32, b: i32): i32 {
  const s = a + b;
  // Signed overflow happened iff both operands have the sign opposite to the wrapped sum.
  if (((a ^ s) & (b ^ s)) < 0) { fxmul(MAX, TRAP + 2); unreachable(); }
  return s;
}

/** a − b; FixedPointOverflow if the difference leaves the range. */
export function sub(a: i32, b: i32): i32 {
  const s = a - b;
  if (((a ^ b) & (a ^ s)) < 0) { fxmul(MAX, TRAP + 3); unreachable(); }
  return s;
}

/** −x; FixedPointOverflow for x = MIN. */
export function neg(x: i32): i32 {
  if (x == i32.MIN_VALUE) { fxmul(MAX, TRAP + 4); unreachable(); }
  return -x;
}

/** |x|; FixedPointOverflow for x = MIN. */
export function abs(x: i32): i32 {
  if (x == i32.MIN_VALUE) { fxmul(MAX, TRAP + 5); unreachable(); }
  return x < 0 ? -x : x;
}

export function min(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

export function max(a: i32, b: i32): i32 {
  return a > b ? a : b;
}

/** max(x, 0) */
export function relu(x: i32): i32 {
  return x > 0 ? x : 0;
}

// Saturating variants: clamp the exact result to [MIN, MAX] instead of trapping.

// @ts-ignore: decorator
@inline function clamp(v: i64): i32 {
  return v > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : v < <i64>i32.MIN_VALUE ? i32.MIN_VALUE : <i32>v;
}

export function addSat(a: i32, b: i32): i32 {
  return clamp(<i64>a + <i64>b);
}

export function subSat(a: i32, b: i32): i32 {
  return clamp(<i64>a - <i64>b);
}

/** R(a·b, 16) clamped to the range (software; `mul` is the 1-cycle instruction). */
export function mulSat(a: i32, b: i32): i32 {
  return clamp((<i64>a * <i64>b + 0x8000) >> 16);
}

// ---------------------------------------------------------------------------------------------------
// Multiply, divide, square root (correctly rounded)

/** a·b rounded half up: the fxmul instruction (1 cycle), FixedPointOverflow if out of range. */
// @ts-ignore: decorator
@inline export function mul(a: i32, b: i32): i32 {
  return fxmul(a, b);
}

/**
 * a / b rounded half up: floor((a·2^17 + b) / 2b) after moving b's sign to a. b = 0 traps
 * DivideByZero; a result out of range traps FixedPointOverflow. With integers n, d, div(n, d) is the
 * Q16.16 value of the fraction n/d (e.g. div(pixel, 255)).
 */
export function div(a: i32, b: i32): i32 {
  let num: i64 = <i64>a << 17;
  let den: i64 = <i64>b;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  num += den;
  den <<= 1;
  // den = 0 makes this i64 division trap DivideByZero.
  let q = num / den;
  if (num < 0 && q * den != num) q--; // floor, not truncation
  if (q != <i64><i32>q) { fxmul(MAX, TRAP + 6); unreachable(); }
  return <i32>q;
}

/** √x rounded half up; aborts for x < 0. The result is at most 181.02 (raw 11863283). */
export function sqrt(x: i32): i32 {
  if (x < 0) throw new Error("fx.sqrt: negative argument");
  if (x == 0) return 0;
  const n: u64 = <u64>x << 16; // √(x/2^16)·2^16 = √(x·2^16)
  // Newton's method from above converges monotonically to floor(√n).
  let r: u64 = <u64>1 << <u64>((65 - <i32>clz(n)) >> 1);
  for (;;) {
    const y = (r + n / r) >> 1;
    if (y >= r) break;
    r = y;
  }
  // √n ≥ r + 1/2  ⟺  n ≥ r² + r + 1/4  ⟺  n > r² + r (integers).
  return <i32>(n > r * r + r ? r + 1 : r);
}

// ---------------------------------------------------------------------------------------------------
// 128-bit helpers for the transcendental functions. Internal numbers are unsigned fractions:
// "Qk" means value · 2^k held in a u64.

/** floor(a·b / 2^64), from four 32×32 → 64 products. */
// @ts-ignore: decorator
@inline function mulHi(a: u64, b: u64): u64 {
  const al = a & 0xffffffff;
  const ah = a >> 32;
  const bl = b & 0xffffffff;
  const bh = b >> 32;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return ah * bh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/** floor(a·b / 2^32) for b < 2^32 (the result must be < 2^64): two products instead of four. */
// @ts-ignore: decorator
@inline function mulHi32(a: u64, b: u64): u64 {
  return (a >> 32) * b + (((a & 0xffffffff) * b) >> 32);
}

/** floor(a·b / 2^62) for Q62 operands (the result must be < 2^64). */
// @ts-ignore: decorator
@inline function mulQ62(a: u64, b: u64): u64 {
  return (mulHi(a, b) << 2) | ((a * b) >> 62);
}

const Q62_ONE: u64 = <u64>1 << 62;

// ---------------------------------------------------------------------------------------------------
// exp

// log2(e) = (LOG2E_H + LOG2E_L/2^32) / 2^42: a two-word constant so that x·log2(e) is exact to 2^−58.
const LOG2E_H: i64 = 6345039891168;
const LOG2E_L: i64 = 3213221364;
/** round(ln 2 · 2^64) */
const LN2_Q64: u64 = 0xB17217F7D1CF79AC;
// 1/n! in Q64, for the Taylor series of e^u − 1.
const INV_FACT2: u64 = 0x8000000000000000;
const INV_FACT3: u64 = 0x2AAAAAAAAAAAAAAB;
const INV_FACT4: u64 = 0x0AAAAAAAAAAAAAAB;
const INV_FACT5: u64 = 0x0222222222222222;
const INV_FACT6: u64 = 0x005B05B05B05B05B;
const INV_FACT7: u64 = 0x000D00D00D00D00D;

/** Exponent of the last `expParts` result. */
let expK: i32 = 0;

/**
 * e^(x/2^16) = m · 2^(expK − 62) with the returned mantissa m ∈ [2^62, 2^63), relative error < 2^−58.
 * Valid for |x| ≤ 22·2^16 (so that x·LOG2E_H fits in i64).
 *
 * x·log2(e) = k + f (k integer, f ∈ [0, 1)), f = j/64 + g (j < 64, g < 1/64); 2^f = 2^(j/64) · e^(g·ln 2)
 * with 2^(j/64) from a table and e^u, u = g·ln2 < 2^−6.5, by a degree-7 Taylor polynomial
 * (truncation < 2^−66) in Horner form.
 */
function expParts(x: i32): u64 {
  const xi = <i64>x;
  const z: i64 = xi * LOG2E_H + ((xi * LOG2E_L) >> 32); // x·log2(e), Q58
  expK = <i32>(z >> 58);
  const f = <u64>z & ((<u64>1 << 58) - 1);
  const j = <i32>(f >> 52);
  const g = (f & ((<u64>1 << 52) - 1)) << 6; // Q64
  const u = mulHi(g, LN2_Q64); // Q64, < 2^57.5
  // The innermost Horner levels need only 32 bits (their error is scaled by u^5 < 2^−32): Q32 steps.
  const u32 = u >> 32;
  let s32 = (INV_FACT6 >> 32) + ((u32 * (INV_FACT7 >> 32)) >> 32);
  s32 = (INV_FACT5 >> 32) + ((u32 * s32) >> 32);
  let s = INV_FACT4 + mulHi32(u, s32);
  s = INV_FACT3 + mulHi(u, s);
  s = INV_FACT2 + mulHi(u, s);
  const em1 = u + mulHi(mulHi(u, u), s); // e^u − 1, Q64
  const t = unchecked(EXP2_TABLE[j]); // 2^(j/64), Q62
  return t + mulHi(t, em1);
}

/** e^x for x ≥ EXP_MAX + 2^−16 exceeds the range; below EXP_MIN it rounds to 0. */
export const EXP_MAX: i32 = 681391; // ≈ 10.39720, e^x ≈ 32767.80
const EXP_MIN: i32 = -772243; // ≈ −11.78355, the smallest x with round(e^x·2^16) = 1

/** e^x, correctly rounded (see header); FixedPointOverflow for x > EXP_MAX (≈ ln 32768). */
export function exp(x: i32): i32 {
  if (x > EXP_MAX) { fxmul(MAX, TRAP + 7); unreachable(); }
  if (x < EXP_MIN) return 0;
  const m = expParts(x);
  const s = <u64>(46 - expK); // Q62·2^k → Q16; k ∈ [−17, 14] here, so s ∈ [32, 63]
  return <i32>((m + (<u64>1 << (s - 1))) >> s);
}

/** e^(x/2^16) in Q62 for x ∈ [−22·2^16, 0] (absolute error < 2^−61). */
function expNegQ62(x: i32): u64 {
  const m = expParts(x);
  const sh = -expK;
  return sh >= 64 ? 0 : m >> <u64>sh;
}

// ---------------------------------------------------------------------------------------------------
// ln

/** round(ln 2 · 2^58) */
const LN2_Q58: i64 = 199786072581291495;
// 1/n in Q64 for the series of ln(1 + t).
const INV2: u64 = 0x8000000000000000;
const INV3: u64 = 0x5555555555555555;
const INV4: u64 = 0x4000000000000000;
const INV5: u64 = 0x3333333333333333;
const INV6: u64 = 0x2AAAAAAAAAAAAAAB;
const INV7: u64 = 0x2492492492492492;
const INV8: u64 = 0x2000000000000000;

/**
 * ln x, correctly rounded (see header); aborts for x ≤ 0. Results lie in [−11.09, 10.40].
 * x = 2^n · m with m ∈ [1, 2); m = (1 + j/128)(1 + t) with t < 2^−7; ln m = LN_TABLE[j] + ln(1 + t),
 * the latter by its alternating series to t^8/8 (truncation < 2^−66).
 */
export function ln(x: i32): i32 {
  if (x <= 0) throw new Error("fx.ln: argument must be positive");
  const n = 31 - <i32>clz(x);
  const m = <u64>x << <u64>(63 - n); // Q63, [2^63, 2^64)
  const j = <i32>((m >> 56) & 127);
  const d = (m & ((<u64>1 << 56) - 1)) << 1; // m − (1 + j/128), Q64
  const t = j == 0 ? d : mulHi(d, unchecked(RECIP_TABLE[j])); // Q64, < 2^57
  // The innermost levels need only 32 bits (their error is scaled by t^5 < 2^−35): Q32 steps.
  const t32 = t >> 32;
  let q32 = (INV7 >> 32) - ((t32 * (INV8 >> 32)) >> 32);
  q32 = (INV6 >> 32) - ((t32 * q32) >> 32);
  q32 = (INV5 >> 32) - ((t32 * q32) >> 32);
  let q = INV4 - mulHi32(t, q32);
  q = INV3 - mulHi(t, q);
  q = INV2 - mulHi(t, q);
  const l1p = t - mulHi(mulHi(t, t), q); // ln(1 + t), Q64
  const total: i64 = <i64>(n - 16) * LN2_Q58 + <i64>((unchecked(LN_TABLE[j]) + l1p) >> 6); // Q58
  return <i32>((total + (<i64>1 << 41)) >> 42);
}

// ---------------------------------------------------------------------------------------------------
// sigmoid, tanh

/** 1/(1 + e) in Q62 for e ∈ [0, 2^62] (Q62), relative error < 2^−58. */
function recipOnePlus(e: u64): u64 {
  const d = Q62_ONE + e; // [2^62, 2^63]
  // 31-bit estimate by integer division, then one Newton step q ← q + q·(1 − d·q).
  let q: u64 = (Q62_ONE / (d >> 31)) << 31;
  const r: i64 = <i64>Q62_ONE - <i64>mulQ62(d, q); // |r| ≤ 2^33
  return <u64>(<i64>q + ((<i64>(q >> 32) * r) >> 30));
}

/** |x| ≥ 16: σ(x) is within 0.008 ulp of 0 or 1. */
const SIGMOID_SATURATION: i32 = 16 << 16;

/** 1/(1 + e^−x), correctly rounded (see header); never traps. */
export function sigmoid(x: i32): i32 {
  if (x >= SIGMOID_SATURATION) return ONE;
  if (x <= -SIGMOID_SATURATION) return 0;
  const e = expNegQ62(x < 0 ? x : -x); // e^−|x|
  const q = recipOnePlus(e);
  const v = x >= 0 ? q : mulQ62(e, q); // σ(−|x|) = e/(1 + e)
  return <i32>((v + (<u64>1 << 45)) >> 46);
}

/** |x| ≥ 8: tanh(x) is within 0.015 ulp of ±1. */
const TANH_SATURATION: i32 = 8 << 16;

/** tanh x, correctly rounded (see header); never traps. tanh(−x) = −tanh(x) exactly. */
export function tanh(x: i32): i32 {
  if (x >= TANH_SATURATION) return ONE;
  if (x <= -TANH_SATURATION) return -ONE;
  const ax = x < 0 ? -x : x;
  const e = expNegQ62(-2 * ax); // e^−2|x|
  const v = mulQ62(Q62_ONE - e, recipOnePlus(e)); // (1 − e)/(1 + e)
  const r = <i32>((v + (<u64>1 << 45)) >> 46);
  return x < 0 ? -r : r;
}

// ---------------------------------------------------------------------------------------------------
// Vectors (raw pointers to i32 arrays, strides in elements: a matrix row walk has stride 1, a column
// walk stride = row length)

/**
 * Σ x[i]·y[i] for i < n, accumulated exactly in 64 bits and rounded once (R(·, 16)); x[i] at
 * xp + 4·i·sx, y[i] at yp + 4·i·sy. The DOT instruction: 1 + n cycles. FixedPointOverflow if the
 * result leaves the range.
 */
// @ts-ignore: decorator
@inline export function dot(xp: usize, yp: usize, n: i32, sx: i32 = 1, sy: i32 = 1): i32 {
  return dotIntrinsic(xp, yp, n, sx, sy, 0, 16);
}

/**
 * The general DOT: R(acc + Σ x[i]·y[i], shift). With acc = <i64>bias << 16 and shift 16 it is a
 * neuron's pre-activation; shift 16 + log2(B) also divides by a power-of-two batch size, rounding once.
 */
// @ts-ignore: decorator
@inline export function dotAcc(xp: usize, yp: usize, n: i32, sx: i32, sy: i32, acc: i64, shift: i32): i32 {
  return dotIntrinsic(xp, yp, n, sx, sy, acc, shift);
}

/**
 * y[i] += R(a·x[i], shift) for i < n (shift 16: y += a·x in Q16.16), each step trapping
 * FixedPointOverflow if it leaves the range. The AXPY instruction: 1 + n cycles.
 */
// @ts-ignore: decorator
@inline export function axpy(yp: usize, xp: usize, n: i32, a: i32, sy: i32 = 1, sx: i32 = 1, shift: i32 = 16): void {
  axpyIntrinsic(yp, xp, n, sy, sx, a, shift);
}

/** Index of the first largest of the n values at xp (stride sx); −1 when n ≤ 0. */
export function argmax(xp: usize, n: i32, sx: i32 = 1): i32 {
  if (n <= 0) return -1;
  let best = 0;
  let bestValue = load<i32>(xp);
  const step = <usize>(sx << 2);
  let p = xp;
  for (let i = 1; i < n; i++) {
    p += step;
    const v = load<i32>(p);
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/**
 * out[i] = e^(x[i] − max x) / Σ_j e^(x[j] − max x) for i < n (out may equal xp). The exponentials are
 * kept with 30 fractional bits (in out[] between the passes) and each quotient is rounded once, so the
 * error stays within a few thousandths of an ulp of correct rounding for n up to thousands.
 * Never traps for n ≤ 2^16 (aborts for n > 2^16 or n < 0).
 */
export function softmax(xp: usize, outp: usize, n: i32): void {
  if (n < 0 || n > 65536) throw new Error("fx.softmax: length must be in [0, 65536]");
  if (n == 0) return;
  let m = load<i32>(xp);
  for (let i = 1; i < n; i++) m = max(m, load<i32>(xp + (<usize>i << 2)));
  let sum: i64 = 0;
  for (let i = 0; i < n; i++) {
    const d: i64 = <i64>load<i32>(xp + (<usize>i << 2)) - <i64>m; // ≤ 0, ≥ −2^32
    let e: i32 = 0;
    // e^−22 · 2^30 < 0.5: smaller terms round to 0 in Q30 (and expParts needs |d| ≤ 22·2^16).
    if (d > -22 * 65536) {
      const mant = expParts(<i32>d);
      const s = <u64>(32 - expK); // Q62·2^k → Q30; k ∈ [−32, 0]
      e = s >= 64 ? 0 : <i32>((mant + (<u64>1 << (s - 1))) >> s);
    }
    store<i32>(outp + (<usize>i << 2), e);
    sum += e;
  }
  // sum ≥ 2^30 (the maximum contributes e^0 = 1). p = R(e·2^16 / sum) = floor((e·2^17 + sum) / 2sum).
  const den = sum << 1;
  for (let i = 0; i < n; i++) {
    const p = outp + (<usize>i << 2);
    store<i32>(p, <i32>(((<i64>load<i32>(p) << 17) + sum) / den));
  }
}

// ---------------------------------------------------------------------------------------------------
// Deterministic random numbers (weight initialisation)

/**
 * PCG32 (O'Neill's PCG-XSH-RR: 64-bit LCG state, 32-bit output), seeded like the reference pcg32_srandom,
 * so `new Rng(42, 54)` yields 0xa15c02b7, 0x7b47f409, ... Integer-only: any language with 64-bit integers
 * (TypeScript with BigInt: test/fx-rng.ts) reproduces every value.
 */
export class Rng {
  private state: u64 = 0;
  private inc: u64;

  constructor(seed: u64, stream: u64 = 0) {
    this.inc = (stream << 1) | 1;
    this.nextU32();
    this.state += seed;
    this.nextU32();
  }

  nextU32(): u32 {
    const old = this.state;
    this.state = old * 6364136223846793005 + this.inc;
    const xorshifted = <u32>(((old >> 18) ^ old) >> 27);
    return rotr<u32>(xorshifted, <u32>(old >> 59));
  }

  /** Uniform in [0, 1): a Q16.16 value in [0, 65535]. */
  uniform(): i32 {
    return <i32>(this.nextU32() >>> 16);
  }

  /** Uniform integer in [0, bound), unbiased (rejection of the short last interval); bound ≥ 1. */
  below(bound: u32): u32 {
    if (bound == 0) throw new Error("fx.Rng.below: bound must be positive");
    const threshold: u32 = (<u32>0 - bound) % bound; // 2^32 mod bound
    let r = this.nextU32();
    while (r < threshold) r = this.nextU32();
    return r % bound;
  }

  /**
   * Approximately standard normal, Q16.16: the Irwin–Hall sum of 12 uniforms minus 6 (mean exactly 0,
   * variance 1 − 2^−32, support [−6, 6)). Twelve PRNG outputs per sample, no transcendental functions,
   * so it is trivially reproducible; its tails are lighter than a true Gaussian beyond ~3σ.
   */
  gaussian(): i32 {
    let s: i32 = 6; // 12 uniforms on {0..65535}/2^16 have mean 6 − 12·2^−17: add the 6 raw back
    for (let i = 0; i < 12; i++) s += <i32>(this.nextU32() >>> 16);
    return s - 6 * 65536;
  }

  /** A normal sample with standard deviation std (Q16.16), rounded: mulSat(gaussian(), std). */
  normal(std: i32): i32 {
    return mulSat(this.gaussian(), std);
  }
}

// ---------------------------------------------------------------------------------------------------
// Tables (generated with 160-bit BigInt arithmetic; test/fx-tables.test.ts recomputes and checks them)

/** 2^(j/64) in Q62, j < 64. */
const EXP2_TABLE: StaticArray<u64> = [
  0x4000000000000000, 0x40B268F9DE0183BA, 0x4166C34C5615D0EC, 0x421D1461D66F2023,
  0x42D561B3E6243D8A, 0x438FB0CB4F468808, 0x444C0740496D4294, 0x450A6ABAA4B77ECD,
  0x45CAE0F1F545EB73, 0x468D6FADBF2DD4F3, 0x47521CC5A2E6A9E0, 0x4818EE218A3358EE,
  0x48E1E9B9D588E19B, 0x49AD159789F37496, 0x4A7A77D47F7B84B1, 0x4B4A169B900C2D00,
  0x4C1BF828C6DC54B8, 0x4CF022C9905BFD32, 0x4DC69CDCEAA72A9C, 0x4E9F6CD3967FDBA8,
  0x4F7A993048D088D7, 0x50582887DCB8A7E1, 0x513821818624B40C, 0x521A8AD704F3404F,
  0x52FF6B54D8A89C75, 0x53E6C9DA74B29AB5, 0x54D0AD5A753E077C, 0x55BD1CDAD49F699C,
  0x56AC1F752150A563, 0x579DBC56B48521BA, 0x5891FAC0E95612C8, 0x5988E20954889245,
  0x5A827999FCEF3242, 0x5B7EC8F19468BBC9, 0x5C7DD7A3B17DCF75, 0x5D7FAD59099F22FE,
  0x5E8451CFAC061B5F, 0x5F8BCCDB3D398841, 0x6096266533384A2B, 0x61A3666D124BB204,
  0x62B39508AA836D6F, 0x63C6BA6455DCD8AE, 0x64DCDEC3371793D1, 0x65F60A7F79393E2E,
  0x6712460A8FC24072, 0x683199ED779592CA, 0x69540EC8F895722D, 0x6A79AD55E7F6FD10,
  0x6BA27E656B4EB57A, 0x6CCE8AE13C57EBDB, 0x6DFDDBCBED791BAB, 0x6F307A412F074892,
  0x70666F76154A7089, 0x719FC4B95F452D29, 0x72DC8373BE41A454, 0x741CB5281E25EE34,
  0x75606373EE921C97, 0x76A7980F6CCA15C2, 0x77F25CCDEE6D7AE6, 0x7940BB9E2CFFD89D,
  0x7A92BE8A92436616, 0x7BE86FB985689DDC, 0x7D41D96DB915019D, 0x7E9F06067A4360BA,
];

/** 1/(1 + j/128) in Q64 (entry 0 unused: the reciprocal of 1 is handled directly). */
const RECIP_TABLE: StaticArray<u64> = [
  0x0000000000000000, 0xFE03F80FE03F80FE, 0xFC0FC0FC0FC0FC10, 0xFA232CF252138AC0,
  0xF83E0F83E0F83E10, 0xF6603D980F6603DA, 0xF4898D5F85BB3950, 0xF2B9D6480F2B9D65,
  0xF0F0F0F0F0F0F0F1, 0xEF2EB71FC4345238, 0xED7303B5CC0ED730, 0xEBBDB2A5C1619C8C,
  0xEA0EA0EA0EA0EA0F, 0xE865AC7B7603A197, 0xE6C2B4481CD85689, 0xE525982AF70C880E,
  0xE38E38E38E38E38E, 0xE1FC780E1FC780E2, 0xE070381C0E070382, 0xDEE95C4CA037BA57,
  0xDD67C8A60DD67C8A, 0xDBEB61EED19C5958, 0xDA740DA740DA740E, 0xD901B2036406C80E,
  0xD79435E50D79435E, 0xD62B80D62B80D62C, 0xD4C77B03531DEC0D, 0xD3680D3680D3680D,
  0xD20D20D20D20D20D, 0xD0B69FCBD2580D0B, 0xCF6474A8819EC8E9, 0xCE168A7725080CE1,
  0xCCCCCCCCCCCCCCCD, 0xCB8727C065C393E0, 0xCA4587E6B74F0329, 0xC907DA4E871146AD,
  0xC7CE0C7CE0C7CE0C, 0xC6980C6980C6980C, 0xC565C87B5F9D4D1C, 0xC4372F855D824CA6,
  0xC30C30C30C30C30C, 0xC1E4BBD595F6E947, 0xC0C0C0C0C0C0C0C1, 0xBFA02FE80BFA02FF,
  0xBE82FA0BE82FA0BF, 0xBD69104707661AA3, 0xBC52640BC52640BC, 0xBB3EE721A54D880C,
  0xBA2E8BA2E8BA2E8C, 0xB92143FA36F5E02E, 0xB81702E05C0B8170, 0xB70FBB5A19BE3659,
  0xB60B60B60B60B60B, 0xB509E68A9B94821F, 0xB40B40B40B40B40B, 0xB30F63528917C80B,
  0xB21642C8590B2164, 0xB11FD3B80B11FD3C, 0xB02C0B02C0B02C0B, 0xAF3ADDC680AF3ADE,
  0xAE4C415C9882B931, 0xAD602B580AD602B6, 0xAC7691840AC76918, 0xAB8F69E28359CD11,
  0xAAAAAAAAAAAAAAAB, 0xA9C84A47A07F5638, 0xA8E83F5717C0A8E8, 0xA80A80A80A80A80B,
  0xA72F05397829CBC1, 0xA655C4392D7B73A8, 0xA57EB50295FAD40A, 0xA4A9CF1D96833751,
  0xA3D70A3D70A3D70A, 0xA3065E3FAE7CD0E0, 0xA237C32B16CFD772, 0xA16B312EA8FC377D,
  0xA0A0A0A0A0A0A0A1, 0x9FD809FD809FD80A, 0x9F1165E7254813E2, 0x9E4CAD23DD5F3A20,
  0x9D89D89D89D89D8A, 0x9CC8E160C3FB19B9, 0x9C09C09C09C09C0A, 0x9B4C6F9EF03A3CAA,
  0x9A90E7D95BC609A9, 0x99D722DABDE58F06, 0x991F1A515885FB37, 0x9868C809868C8098,
  0x97B425ED097B425F, 0x97012E025C04B809, 0x964FDA6C0964FDA7, 0x95A02568095A0257,
  0x94F2094F2094F209, 0x9445809445809446, 0x939A85C40939A85C, 0x92F113840497889C,
  0x9249249249249249, 0x91A2B3C4D5E6F809, 0x90FDBC090FDBC091, 0x905A38633E06C43B,
  0x8FB823EE08FB823F, 0x8F1779D9FDC3A219, 0x8E78356D1408E783, 0x8DDA520237694809,
  0x8D3DCB08D3DCB08D, 0x8CA29C046514E023, 0x8C08C08C08C08C09, 0x8B70344A139BC75A,
  0x8AD8F2FBA9386823, 0x8A42F8705669DB46, 0x89AE4089AE4089AE, 0x891AC73AE9819B50,
  0x8888888888888889, 0x87F78087F78087F8, 0x8767AB5F34E47EF1, 0x86D905447A34ACC6,
  0x864B8A7DE6D1D608, 0x85BF37612CEE3C9B, 0x8534085340853408, 0x84A9F9C8084A9F9D,
  0x8421084210842108, 0x839930523FBE3368, 0x83126E978D4FDF3B, 0x828CBFBEB9A020A3,
  0x8208208208208208, 0x81848DA8FAF0D277, 0x8102040810204081, 0x8080808080808081,
];

/** ln(1 + j/128) in Q64. */
const LN_TABLE: StaticArray<u64> = [
  0x0000000000000000, 0x01FE02A6B1067890, 0x03F815161F807C7A, 0x05EE46C1F56C46AA,
  0x07E0A6C39E0CC013, 0x09CF43DCFF5EAFD5, 0x0BBA2C7B196E7E23, 0x0DA16EB88CB8DF61,
  0x0F85186008B15331, 0x116536EEA37AE0E8, 0x1341D7961BD1D093, 0x151B073F06183F69,
  0x16F0D28AE56B4B9C, 0x18C345D6319B20F6, 0x1A926D3A4AD56365, 0x1C5E548F5BC74316,
  0x1E27076E2AF2E5EA, 0x1FEC9131DBEABAAA, 0x21AEFCF9A11CB2CD, 0x236E55AA5ECF4052,
  0x252AA5F03FEA4698, 0x26E3F8403D1EE878, 0x289A56D996FA3CD0, 0x2A4DCBC743686F46,
  0x2BFE60E14F27A791, 0x2DAC1FCE33A4391B, 0x2F57120421B21238, 0x30FF40CA41922120,
  0x32A4B539E8AD68ED, 0x3447783FC56AC632, 0x35E7929D017FE5B2, 0x37850CE85B19AC54,
  0x391FEF8F35344358, 0x3AB842D69F7722B7, 0x3C4E0EDC55E5CBD4, 0x3DE15B97B8B26CA4,
  0x3F7230DABC7C551B, 0x41009652D341036C, 0x428C9389CE438D7E, 0x44162FE6B92B5462,
  0x459D72AEAE98380E, 0x47226305A667EBEF, 0x48A507EF3DE59689, 0x4A25684F7A1A8D7B,
  0x4BA38AEB8474C271, 0x4D1F766A61F55359, 0x4E993155A517A71D, 0x5010C21A1A9F8EF4,
  0x51862F08717B09F4, 0x52F97E55DDE2836D, 0x546AB61CB7E0B427, 0x55D9DC5D1569B152,
  0x5746F6FD60272942, 0x58B20BCAE71E54BE, 0x5A1B207A6C52BB11, 0x5B823AA8AE878E30,
  0x5CE75FDAEF401A74, 0x5E4A957F751E89F0, 0x5FABE0EE0ABF0D93, 0x610B47687A2C5D25,
  0x6268CE1B05096AD7, 0x63C47A1CD98B1DF8, 0x651E5070845BEAE9, 0x667656045F822B2F,
  0x67CC8FB2FE612FCB, 0x6921024396EC28B0, 0x6A73B26A68212635, 0x6BC4A4C91DE1AC45,
  0x6D13DDEF323D8A33, 0x6E61625A4C43ED66, 0x6FAD36769C6DEFDE, 0x70F75E9F36B535CF,
  0x723FDF1E6A6886B1, 0x7386BC2E17CFADEE, 0x74CBF9F803AF5587, 0x760F9C9628BCF941,
  0x7751A813071282FC, 0x78922069F1B09873, 0x79D109875A1E1F8E, 0x7B0E67491A33005D,
  0x7C4A3D7EBC1BB2CD, 0x7D848FE9C0A2B185, 0x7EBD623DE3CC7B67, 0x7FF4B8215FD26156,
  0x812A952D2E87F635, 0x825EFCED49369330, 0x8391F2E0E6FA0273, 0x84C37A7AB9A905C9,
  0x85F39721295415B5, 0x87224C2E8E645FB7, 0x884F9CF16A64B7EF, 0x897B8CAC9F7DE298,
  0x8AA61E97A6AF4D4C, 0x8BCF55DEC4CD05FE, 0x8CF735A33E4B7663, 0x8E1DC0FB89E125E5,
  0x8F42FAF3820681EF, 0x9066E68C955B6C9B, 0x918986BDF5FA1417, 0x92AADE74C7BE59E0,
  0x93CAF0944D88D75C, 0x94E9BFF615845643, 0x96074F6A24745DCC, 0x9723A1B720134203,
  0x983EB99A7885F0FE, 0x995899C890EB8990, 0x9A7144ECE70E98B7, 0x9B88BDAA3A3DAE2F,
  0x9C9F069AB150CD4E, 0x9DB4224FFFE1157C, 0x9EC813538AB7D520, 0x9FDADC268B7A12DA,
  0xA0EC7F4233957323, 0xA1FCFF17CE733BD4, 0xA30C5E10E2F613E8, 0xA41A9E8F5446FB9F,
  0xA527C2ED81F5D811, 0xA633CD7E6771CD8B, 0xA73EC08DBADD84E6, 0xA8489E600B435A5E,
  0xA9516932DE2D5774, 0xAA59233CCCA4BD49, 0xAB5FCEAD9F9CCA09, 0xAC656DAE6BCC4985,
  0xAD6A0261ACF967D9, 0xAE6D8EE360BB2468, 0xAF70154920B3AB87, 0xB07197A23C46C654,
];
