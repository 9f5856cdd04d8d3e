// Reference implementations of the fixed-point and coprocessor instructions (issue 5, semantics in
// docs/architecture.md "Fixed-point and coprocessor instruction semantics"). One definition shared by
// both engines: our VM executor calls these directly, the V8 reference engine wraps them as the JS host
// functions of the `zkvm` import module. They must therefore be exact: all 64-bit quantities are kept
// as (hi: i32, lo: u32) number pairs, with BigInt only on the rare paths where an intermediate needs a
// 65th bit.
//
// Memory: guest memory is passed as a DataView over the CURRENT memory (callers recreate it after
// memory.grow). Element addresses are computed as exact integers (pointer as unsigned u32, strides as
// signed i32, no wrap-around mod 2^32); an element whose 4 bytes are not all inside [0, byteLength)
// traps MemoryOutOfBounds. Operands are validated before any memory access: n first, then shift.

import { VmError } from "./errors.ts";
import { SHA256_K } from "../verifier/sha256.ts";

const TWO32 = 4294967296;

// ---------------------------------------------------------------------------------------------
// Exact 32×32 → 64 multiply without BigInt.
// Math.imul gives the low 32 bits exactly. The double product a·b (|a·b| ≤ 2^62) is off by at most
// 2^9 from the true value v, so (p − lo)/2^32 is within 2^−22 of the integer (v − lo)/2^32 = hi, and
// rounding recovers hi exactly.
let mulHi = 0;
/** Signed a·b as a 64-bit pair: returns lo (u32), leaves hi (i32) in `lastMulHi()`. */
export function mul64(a: number, b: number): number {
  const lo = Math.imul(a, b) >>> 0;
  mulHi = Math.round((a * b - lo) / TWO32);
  return lo;
}
export function lastMulHi(): number {
  return mulHi;
}

// ---------------------------------------------------------------------------------------------
// Rounding R(v, s) = (v + 2^(s−1)) >> s on exact integers ("round half up"), R(v, 0) = v.

/** BigInt reference of R, exact for any integer v. Used on rare paths and by tests. */
export function roundShiftBig(v: bigint, s: number): bigint {
  if (s === 0) return v;
  return (v + (1n << BigInt(s - 1))) >> BigInt(s);
}

const I32_MIN_BIG = -(1n << 31n);
const I32_MAX_BIG = (1n << 31n) - 1n;

function pairToBig(hi: number, lo: number): bigint {
  return (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0);
}

/**
 * R(v, shift) for the i64 value v = hi·2^32 + lo (hi signed, lo unsigned), shift ∈ [0, 63].
 * Returns the result as an i32 number, or NaN when it does not fit in i32.
 */
export function roundShiftPairToI32(hi: number, lo: number, shift: number): number {
  hi |= 0;
  lo >>>= 0;
  if (shift === 0) return hi === lo >> 31 ? lo | 0 : NaN;
  // Add 2^(shift−1) to the 64-bit pair; if that needs a 65th bit, take the exact BigInt path.
  let h: number;
  let l: number;
  if (shift <= 32) {
    const t = lo + 2 ** (shift - 1);
    const carry = t >= TWO32 ? 1 : 0;
    l = t >>> 0;
    h = hi + carry;
  } else {
    l = lo;
    h = hi + 2 ** (shift - 33);
  }
  if (h > 0x7fffffff) {
    const r = roundShiftBig(pairToBig(hi, lo), shift);
    return r >= I32_MIN_BIG && r <= I32_MAX_BIG ? Number(r) : NaN;
  }
  if (shift < 32) {
    const r = ((l >>> shift) | (h << (32 - shift))) | 0;
    const rh = h >> shift;
    return rh === r >> 31 ? r : NaN;
  }
  if (shift === 32) return h | 0;
  return h >> (shift - 32);
}

function overflow(op: string, detail: string): VmError {
  return new VmError("FixedPointOverflow", `${op}: result does not fit in i32 (${detail})`, { op });
}

function checkShift(op: string, shift: number): void {
  if (!(shift >= 0 && shift <= 63)) {
    throw new VmError("InvalidOperand", `${op}: shift ${shift} outside [0, 63]`, { op, shift });
  }
}

function checkLength(op: string, n: number): void {
  if (n < 0) throw new VmError("InvalidOperand", `${op}: negative length ${n}`, { op, n });
}

function oob(op: string, addr: number, size: number, memSize: number): VmError {
  return new VmError(
    "MemoryOutOfBounds",
    `${op}: access of ${size} bytes at ${addr} outside memory of ${memSize} bytes`,
    { op, address: addr, size, memorySize: memSize },
  );
}

// ---------------------------------------------------------------------------------------------
// fxmul

/** Q16.16 rounding multiply: R(a·b, 16), exact; traps FixedPointOverflow if it leaves i32. */
export function fxmul(a: number, b: number): number {
  const lo = mul64(a | 0, b | 0);
  const r = roundShiftPairToI32(mulHi, lo, 16);
  if (r !== r) throw overflow("fxmul", `${a | 0} * ${b | 0}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// dot

/**
 * Elements per block: |x·yh| ≤ 2^46 and |x·yl| < 2^47, so 64 of either sum stay below 2^53 in magnitude,
 * i.e. exact in doubles.
 */
const DOT_BLOCK = 64;

function wordInBounds(a: number, memSize: number): boolean {
  return a >= 0 && a + 4 <= memSize;
}

// The i32 view of the memory the last dot read: a training step makes hundreds of thousands of dot calls, and a
// fresh view per call (plus a closure) was ≈ 10 % of a V8-engine training run. A grown memory is a new buffer.
let wordsMem: DataView | undefined;
let wordsBuf: ArrayBufferLike | undefined;
let wordsView: Int32Array = new Int32Array(0);

function wordsOf(mem: DataView): Int32Array {
  if (mem !== wordsMem || mem.buffer !== wordsBuf) {
    wordsView = new Int32Array(mem.buffer, mem.byteOffset, mem.byteLength >>> 2);
    wordsMem = mem;
    wordsBuf = mem.buffer;
  }
  return wordsView;
}

/**
 * Strided dot product. s = acc + Σ_{i<n} x[i]·y[i] mod 2^64 (acc given as accHi:accLo), result
 * R(s, shift) as i32. x[i] is the little-endian i32 at xp + 4·i·sx, y[i] at yp + 4·i·sy.
 * Elements are read in order x[0], y[0], x[1], y[1], …; the first out-of-bounds element traps.
 *
 * Exactness without BigInt: with y = yh·2^16 + yl (yh signed, yl in [0, 2^16)),
 * x·y = x·yh·2^16 + x·yl. Per block of DOT_BLOCK elements the two partial sums stay below 2^53 in
 * magnitude, so plain double additions are exact; each block is then folded into the 64-bit (hi, lo)
 * accumulator with exact integer steps. (Splitting only y: two products per element instead of four.)
 */
export function dot(
  mem: DataView, xp: number, yp: number, n: number, sx: number, sy: number,
  accLo: number, accHi: number, shift: number,
): number {
  n |= 0;
  sx |= 0;
  sy |= 0;
  checkLength("dot", n);
  checkShift("dot", shift);
  const memSize = mem.byteLength;
  const xa = xp >>> 0;
  const ya = yp >>> 0;
  const xStep = 4 * sx;
  const yStep = 4 * sy;
  if (n > 0) {
    // Addresses are affine in i: if the first and the last elements are in bounds, all are.
    const xl = xa + (n - 1) * xStep;
    const yl = ya + (n - 1) * yStep;
    if (!(wordInBounds(xa, memSize) && wordInBounds(xl, memSize) && wordInBounds(ya, memSize) && wordInBounds(yl, memSize))) {
      for (let i = 0; i < n; i++) {
        const xi = xa + i * xStep;
        if (!wordInBounds(xi, memSize)) throw oob("dot", xi, 4, memSize);
        const yi = ya + i * yStep;
        if (!wordInBounds(yi, memSize)) throw oob("dot", yi, 4, memSize);
      }
    }
  }
  const words = ((xa | ya | xStep | yStep | mem.byteOffset) & 3) === 0 ? wordsOf(mem) : undefined;
  let lo = accLo >>> 0;
  let hi = accHi | 0;
  let wx = (xa >>> 2), wy = (ya >>> 2); // word indices (aligned path)
  let bx = xa, by = ya; // byte addresses (DataView path)
  for (let start = 0; start < n; start += DOT_BLOCK) {
    const end = Math.min(n, start + DOT_BLOCK);
    let A = 0; // Σ x·yh
    let C = 0; // Σ x·yl
    if (words !== undefined) {
      for (let i = start; i < end; i++) {
        const x = words[wx]!;
        const y = words[wy]!;
        A += x * (y >> 16);
        C += x * (y & 0xffff);
        wx += sx;
        wy += sy;
      }
    } else {
      for (let i = start; i < end; i++) {
        const x = mem.getInt32(bx, true);
        const y = mem.getInt32(by, true);
        A += x * (y >> 16);
        C += x * (y & 0xffff);
        bx += xStep;
        by += yStep;
      }
    }
    // Fold A·2^16 + C into (hi, lo) mod 2^64; every step below is exact.
    const ah = Math.floor(A / 65536);
    const al = A - ah * 65536; // [0, 2^16)
    const ch = Math.floor(C / TWO32);
    const cl = C - ch * TWO32; // [0, 2^32)
    const t = lo + cl + al * 65536; // < 3·2^32
    const carry = Math.floor(t / TWO32);
    lo = t - carry * TWO32;
    hi = (hi + (ah | 0) + (ch | 0) + carry) | 0; // ToInt32 reduces each exact term mod 2^32
  }
  const r = roundShiftPairToI32(hi, lo, shift);
  if (r !== r) throw overflow("dot", `sum ${pairToBig(hi, lo)} >> ${shift}`);
  return r;
}

/** `dot` with the accumulator as a BigInt (the form a WASM i64 parameter arrives in JS). */
export function dotBig(
  mem: DataView, xp: number, yp: number, n: number, sx: number, sy: number, acc: bigint, shift: number,
): number {
  const lo = Number(BigInt.asUintN(32, acc));
  const hi = Number(BigInt.asIntN(32, acc >> 32n));
  return dot(mem, xp, yp, n, sx, sy, lo, hi, shift);
}

// ---------------------------------------------------------------------------------------------
// axpy

/**
 * Strided update, in order i = 0..n−1: t = R(a·x[i], shift) (must fit i32), y[i] ← y[i] + t (must fit
 * i32). Per element the order is: x bounds, t overflow, y bounds, sum overflow. Elements updated
 * before a trap stay updated (a trap ends the run anyway). x and y may overlap.
 */
export function axpy(
  mem: DataView, yp: number, xp: number, n: number, sy: number, sx: number, a: number, shift: number,
): void {
  n |= 0;
  a |= 0;
  checkLength("axpy", n);
  checkShift("axpy", shift);
  const memSize = mem.byteLength;
  const xStep = 4 * (sx | 0);
  const yStep = 4 * (sy | 0);
  let xa = xp >>> 0;
  let ya = yp >>> 0;
  if (n > 0 && shift <= 32 && ((xa | ya | xStep | yStep | mem.byteOffset) & 3) === 0) {
    const xl = xa + (n - 1) * xStep, yl = ya + (n - 1) * yStep;
    // every element in bounds (addresses are affine in i): only the overflow traps remain, in the same order
    if (wordInBounds(xa, memSize) && wordInBounds(xl, memSize) && wordInBounds(ya, memSize) && wordInBounds(yl, memSize)) {
      axpyWords(wordsOf(mem), ya >>> 2, xa >>> 2, n, sy | 0, sx | 0, a, shift);
      return;
    }
  }
  for (let i = 0; i < n; i++) {
    if (xa < 0 || xa + 4 > memSize) throw oob("axpy", xa, 4, memSize);
    const x = mem.getInt32(xa, true);
    const pl = mul64(a, x);
    const t = roundShiftPairToI32(mulHi, pl, shift);
    if (t !== t) throw overflow("axpy", `R(${a} * ${x}, ${shift})`);
    if (ya < 0 || ya + 4 > memSize) throw oob("axpy", ya, 4, memSize);
    const y = mem.getInt32(ya, true);
    const sum = y + t;
    if (sum > 0x7fffffff || sum < -0x80000000) throw overflow("axpy", `${y} + ${t}`);
    mem.setInt32(ya, sum, true);
    xa += xStep;
    ya += yStep;
  }
}

/**
 * axpy on an i32 view, all elements in bounds, shift ≤ 32. A product below 2^52 in magnitude is exact in a double,
 * and so are p + 2^(shift−1) and the scaling by 2^−shift: R(p, shift) is one floor (the usual case: weights times
 * a learning rate). Larger products take the exact 64-bit path.
 */
function axpyWords(w: Int32Array, yi: number, xi: number, n: number, sy: number, sx: number, a: number, shift: number): void {
  const half = shift === 0 ? 0 : 2 ** (shift - 1);
  const scale = 2 ** -shift;
  for (let i = 0; i < n; i++) {
    const x = w[xi]!;
    const p = a * x;
    let t: number;
    if (p < EXACT_PRODUCT && p > -EXACT_PRODUCT) t = Math.floor((p + half) * scale);
    else {
      const lo = mul64(a, x);
      t = roundShiftPairToI32(mulHi, lo, shift);
    }
    if (!(t <= 0x7fffffff && t >= -0x80000000)) throw overflow("axpy", `R(${a} * ${x}, ${shift})`); // NaN too
    const y = w[yi]!;
    const sum = y + t;
    if (sum > 0x7fffffff || sum < -0x80000000) throw overflow("axpy", `${y} + ${t}`);
    w[yi] = sum;
    xi += sx;
    yi += sy;
  }
}

const EXACT_PRODUCT = 2 ** 52;

// ---------------------------------------------------------------------------------------------
// sha256_compress (FIPS 180-4 §6.2.2, one block)

const W = new Int32Array(64);

/** SHA-256 initial hash values H(0), for guests/tests that start a hash. */
export const SHA256_IV: readonly number[] = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** Compresses the 64-byte block at `block` (16 big-endian words) into the 8 LE u32 words at `state`. */
export function sha256Compress(mem: DataView, state: number, block: number): void {
  const memSize = mem.byteLength;
  const sp = state >>> 0;
  const bp = block >>> 0;
  if (sp + 32 > memSize) throw oob("sha256_compress", sp, 32, memSize);
  if (bp + 64 > memSize) throw oob("sha256_compress", bp, 64, memSize);
  for (let t = 0; t < 16; t++) W[t] = mem.getInt32(bp + 4 * t, false);
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15]!;
    const w2 = W[t - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = mem.getInt32(sp, true);
  let b = mem.getInt32(sp + 4, true);
  let c = mem.getInt32(sp + 8, true);
  let d = mem.getInt32(sp + 12, true);
  let e = mem.getInt32(sp + 16, true);
  let f = mem.getInt32(sp + 20, true);
  let g = mem.getInt32(sp + 24, true);
  let h = mem.getInt32(sp + 28, true);
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + SHA256_K[t]! + W[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  mem.setInt32(sp, (mem.getInt32(sp, true) + a) | 0, true);
  mem.setInt32(sp + 4, (mem.getInt32(sp + 4, true) + b) | 0, true);
  mem.setInt32(sp + 8, (mem.getInt32(sp + 8, true) + c) | 0, true);
  mem.setInt32(sp + 12, (mem.getInt32(sp + 12, true) + d) | 0, true);
  mem.setInt32(sp + 16, (mem.getInt32(sp + 16, true) + e) | 0, true);
  mem.setInt32(sp + 20, (mem.getInt32(sp + 20, true) + f) | 0, true);
  mem.setInt32(sp + 24, (mem.getInt32(sp + 24, true) + g) | 0, true);
  mem.setInt32(sp + 28, (mem.getInt32(sp + 28, true) + h) | 0, true);
}
