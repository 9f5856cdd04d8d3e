/**
 * Degree-4 extension of BabyBear: F_p[X] / (X⁴ − 11), |F| = p⁴ ≈ 2^124 (the challenge field).
 *
 * Representation: `Ext` = `Uint32Array(4)` holding canonical coefficients of 1, X, X², X³ (docs/architecture.md).
 * Chosen over a JS tuple because vectors of extension elements are stored flat (`Uint32Array(4n)`, element i at
 * [4i, 4i+4)) and move to/from WASM and the wire without conversion; the `*Flat` / `*At` functions work directly
 * on such flat vectors so hot loops need not allocate. Functions accept any `Uint32Array` of length ≥ 4 (e.g. a
 * subarray) and return a fresh `Ext`.
 *
 * Irreducibility of X⁴ − 11 over F_p (p ≡ 1 mod 4): by the standard criterion for binomials (Lidl–Niederreiter,
 * Thm 3.75), X⁴ − a is irreducible iff a is not a square (every prime factor of 4, i.e. 2, divides the order of
 * a but not (p−1)/ord(a), and 4 | p − 1). 11 is a quadratic non-residue mod p: 11^((p−1)/2) = −1. test/field-ext.test.ts
 * checks that, and independently that x^(p⁴) = x while x^(p²) ≠ x for X (so X generates no proper subfield).
 */
import { VerifierError } from "./errors.ts";
import * as F from "./field.ts";
import type { Fe } from "./field.ts";

// Hot-path note: under tsx / vite-node, every use of an imported binding goes through a module-namespace getter
// that V8 does not inline (profiled: more time in the getter than in the arithmetic). Reading the bindings once
// into module-local constants removes that; an esbuild bundle is unaffected either way.
const { P, add, sub, neg, mul, inv, decodeFe, writeFe } = F;

declare const extBrand: unique symbol;
export type Ext = Uint32Array & { readonly [extBrand]: true };

/** The non-residue W in X⁴ = W. */
export const W = 11;
export const EXT_DEGREE = 4;
export const EXT_BYTES = 16;

export function extOf(a0: number, a1 = 0, a2 = 0, a3 = 0): Ext {
  const r = new Uint32Array(4);
  r[0] = a0;
  r[1] = a1;
  r[2] = a2;
  r[3] = a3;
  return r as Ext;
}

export const EXT_ZERO: Ext = extOf(0);
export const EXT_ONE: Ext = extOf(1);

export function eFromBase(a: number): Ext {
  return extOf(a);
}

export function eIsZero(a: Uint32Array): boolean {
  return a[0] === 0 && a[1] === 0 && a[2] === 0 && a[3] === 0;
}

export function eEq(a: Uint32Array, b: Uint32Array): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** True iff the element lies in the base field (X, X², X³ coefficients zero). */
export function eIsBase(a: Uint32Array): boolean {
  return a[1] === 0 && a[2] === 0 && a[3] === 0;
}

export function eAdd(a: Uint32Array, b: Uint32Array): Ext {
  return extOf(add(a[0]!, b[0]!), add(a[1]!, b[1]!), add(a[2]!, b[2]!), add(a[3]!, b[3]!));
}

export function eSub(a: Uint32Array, b: Uint32Array): Ext {
  return extOf(sub(a[0]!, b[0]!), sub(a[1]!, b[1]!), sub(a[2]!, b[2]!), sub(a[3]!, b[3]!));
}

export function eNeg(a: Uint32Array): Ext {
  return extOf(neg(a[0]!), neg(a[1]!), neg(a[2]!), neg(a[3]!));
}

export function eAddBase(a: Uint32Array, b: number): Ext {
  return extOf(add(a[0]!, b), a[1]!, a[2]!, a[3]!);
}

export function eSubBase(a: Uint32Array, b: number): Ext {
  return extOf(sub(a[0]!, b), a[1]!, a[2]!, a[3]!);
}

export function eMulBase(a: Uint32Array, b: number): Ext {
  return extOf(mul(a[0]!, b), mul(a[1]!, b), mul(a[2]!, b), mul(a[3]!, b));
}

const INV_P = 1 / P;
/** Reduce a non-negative integer s < 2^53 mod p (float quotient, off by at most one, then corrected). */
function reduce53(s: number): number {
  let r = s - Math.floor(s * INV_P) * P;
  if (r < 0) r += P;
  else if (r >= P) r -= P;
  return r;
}

/**
 * Core product on flat storage: out[o..o+4) = a[ai..ai+4) · b[bi..bi+4). `out` may alias `a` or `b`.
 *
 * Each b_j is split into 16-bit halves h_j, l_j, and the products are accumulated unreduced in doubles:
 * a·h < 2^46 and 11·a·h < 2^49.5, so each high sum (4 terms) is < 2^51.2; the low sums are < 2^52.2; then
 * c = reduce(Σhigh)·2^16 + Σlow < 2^52.3 — all exact (< 2^53). Two float reductions per coefficient instead of
 * 16 modular products: measured ~2× faster than 16 `mul` + lazy `%` (bench/fuzz-field.ts), and 5× faster than `%`.
 */
export function eMulAt(out: Uint32Array, o: number, a: Uint32Array, ai: number, b: Uint32Array, bi: number): void {
  const a0 = a[ai]!, a1 = a[ai + 1]!, a2 = a[ai + 2]!, a3 = a[ai + 3]!;
  const b0 = b[bi]!, b1 = b[bi + 1]!, b2 = b[bi + 2]!, b3 = b[bi + 3]!;
  const h0 = b0 >>> 16, l0 = b0 & 0xffff, h1 = b1 >>> 16, l1 = b1 & 0xffff;
  const h2 = b2 >>> 16, l2 = b2 & 0xffff, h3 = b3 >>> 16, l3 = b3 & 0xffff;
  const w1 = W * a1, w2 = W * a2, w3 = W * a3;
  const c0 = reduce53(reduce53(a0 * h0 + w1 * h3 + w2 * h2 + w3 * h1) * 65536 + (a0 * l0 + w1 * l3 + w2 * l2 + w3 * l1));
  const c1 = reduce53(reduce53(a0 * h1 + a1 * h0 + w2 * h3 + w3 * h2) * 65536 + (a0 * l1 + a1 * l0 + w2 * l3 + w3 * l2));
  const c2 = reduce53(reduce53(a0 * h2 + a1 * h1 + a2 * h0 + w3 * h3) * 65536 + (a0 * l2 + a1 * l1 + a2 * l0 + w3 * l3));
  const c3 = reduce53(reduce53(a0 * h3 + a1 * h2 + a2 * h1 + a3 * h0) * 65536 + (a0 * l3 + a1 * l2 + a2 * l1 + a3 * l0));
  out[o] = c0;
  out[o + 1] = c1;
  out[o + 2] = c2;
  out[o + 3] = c3;
}

/**
 * out[o, o + 4) += Σ_{j<n} c[ci + 4j, ci + 4j + 4) · v[vi + j]: a dot product of extension coefficients with
 * canonical base values (the DEEP sums, barycentric periodic columns). Each v is split into 16-bit halves and the
 * products are accumulated unreduced in doubles: after a flush the running sums are < p, and 32 products of at
 * most 2^31·2^16 = 2^47 keep them below 2^52.1 < 2^53, so every sum is exact; then
 * c = reduce(Σ hi)·2^16 + reduce(Σ lo) < 2^48 and one more reduction. test/ext-dot.test.ts checks it against
 * `mul`/`add` on random and extreme values.
 */
export function eDotBaseAcc(out: Uint32Array, o: number, c: Uint32Array, ci: number, v: ArrayLike<number>, vi: number, n: number): void {
  let h0 = 0, h1 = 0, h2 = 0, h3 = 0, l0 = 0, l1 = 0, l2 = 0, l3 = 0;
  for (let j = 0; j < n; j++) {
    const x = v[vi + j]!;
    if (x !== 0) { // zeros are common (flag columns, padding); the flush below still runs on every 32nd index
      const xh = x >>> 16, xl = x & 0xffff;
      const k = ci + 4 * j;
      const c0 = c[k]!, c1 = c[k + 1]!, c2 = c[k + 2]!, c3 = c[k + 3]!;
      h0 += c0 * xh; h1 += c1 * xh; h2 += c2 * xh; h3 += c3 * xh;
      l0 += c0 * xl; l1 += c1 * xl; l2 += c2 * xl; l3 += c3 * xl;
    }
    if ((j & 31) === 31) {
      h0 = reduce53(h0); h1 = reduce53(h1); h2 = reduce53(h2); h3 = reduce53(h3);
      l0 = reduce53(l0); l1 = reduce53(l1); l2 = reduce53(l2); l3 = reduce53(l3);
    }
  }
  out[o] = add(out[o]!, reduce53(reduce53(h0) * 65536 + reduce53(l0)));
  out[o + 1] = add(out[o + 1]!, reduce53(reduce53(h1) * 65536 + reduce53(l1)));
  out[o + 2] = add(out[o + 2]!, reduce53(reduce53(h2) * 65536 + reduce53(l2)));
  out[o + 3] = add(out[o + 3]!, reduce53(reduce53(h3) * 65536 + reduce53(l3)));
}

export function eMul(a: Uint32Array, b: Uint32Array): Ext {
  const r = new Uint32Array(4);
  eMulAt(r, 0, a, 0, b, 0);
  return r as Ext;
}

export function eSquare(a: Uint32Array): Ext {
  return eMul(a, a);
}

/** a^e, e ≥ 0 (number up to 2^53 or bigint). */
export function ePow(a: Uint32Array, e: number | bigint): Ext {
  if (typeof e === "number" && Number.isSafeInteger(e) && e >= 0) {
    // the common case (powers of two, domain sizes): no BigInt
    const r = Uint32Array.of(1, 0, 0, 0);
    const b = Uint32Array.from(a.subarray(0, 4));
    let y = e;
    while (y > 0) {
      if (y % 2 === 1) eMulAt(r, 0, r, 0, b, 0);
      y = Math.floor(y / 2);
      if (y > 0) eMulAt(b, 0, b, 0, b, 0);
    }
    return r as Ext;
  }
  let x = BigInt(e);
  if (x < 0n) throw new RangeError("negative exponent");
  const r = Uint32Array.of(1, 0, 0, 0);
  const b = Uint32Array.from(a.subarray(0, 4));
  while (x > 0n) {
    if (x & 1n) eMulAt(r, 0, r, 0, b, 0);
    x >>= 1n;
    if (x > 0n) eMulAt(b, 0, b, 0, b, 0);
  }
  return r as Ext;
}

/**
 * Inverse via the tower norm: with ā = a(−X), a·ā = t0 + t2·X² lies in F_p[Y]/(Y² − 11) (Y = X²), whose norm
 * t0² − 11·t2² is in F_p. So a⁻¹ = ā · (t0 − t2·X²) / (t0² − 11·t2²). One base inversion instead of a^(p⁴−2).
 * Throws RangeError on zero.
 */
export function eInv(a: Uint32Array): Ext {
  if (eIsZero(a)) throw new RangeError("inverse of zero (extension)");
  const abar = extOf(a[0]!, neg(a[1]!), a[2]!, neg(a[3]!));
  const t = eMul(a, abar); // t1 = t3 = 0
  const t0 = t[0]!, t2 = t[2]!;
  const norm = sub(mul(t0, t0), mul(W, mul(t2, t2)));
  const ni = inv(norm);
  return eMul(abar, extOf(mul(t0, ni), 0, mul(neg(t2), ni), 0));
}

export function eDiv(a: Uint32Array, b: Uint32Array): Ext {
  return eMul(a, eInv(b));
}

/** Batch inversion of extension elements (all non-zero; RangeError naming the index otherwise). */
export function eBatchInverse(xs: readonly Uint32Array[]): Ext[] {
  const n = xs.length;
  const flat = new Uint32Array(4 * n);
  for (let i = 0; i < n; i++) flat.set(xs[i]!.subarray(0, 4), 4 * i);
  const inv = eBatchInverseFlat(flat);
  const out: Ext[] = [];
  for (let i = 0; i < n; i++) out.push(inv.slice(4 * i, 4 * i + 4) as Ext);
  return out;
}

/** Batch inversion on a flat vector (element i at [4i, 4i+4)); returns a new flat vector. */
export function eBatchInverseFlat(flat: Uint32Array): Uint32Array {
  const n = flat.length >>> 2;
  const out = new Uint32Array(4 * n);
  const acc = Uint32Array.of(1, 0, 0, 0);
  for (let i = 0; i < n; i++) {
    if (flat[4 * i] === 0 && flat[4 * i + 1] === 0 && flat[4 * i + 2] === 0 && flat[4 * i + 3] === 0)
      throw new RangeError(`eBatchInverse: zero at index ${i}`);
    out.set(acc, 4 * i);
    eMulAt(acc, 0, acc, 0, flat, 4 * i);
  }
  if (n === 0) return out;
  const ia: Uint32Array = eInv(acc);
  const tmp = new Uint32Array(4);
  for (let i = n - 1; i >= 0; i--) {
    eMulAt(tmp, 0, out, 4 * i, ia, 0);
    eMulAt(ia, 0, ia, 0, flat, 4 * i);
    out.set(tmp, 4 * i);
  }
  return out;
}

/** Element i of a flat vector, as a fresh Ext. */
export function eGet(flat: Uint32Array, i: number): Ext {
  return flat.slice(4 * i, 4 * i + 4) as Ext;
}

export function eSet(flat: Uint32Array, i: number, v: Uint32Array): void {
  flat.set(v.subarray(0, 4), 4 * i);
}

/** Evaluate a polynomial with extension coefficients (flat, low degree first) at an extension point (Horner). */
export function ePolyEval(coeffsFlat: Uint32Array, x: Uint32Array): Ext {
  const n = coeffsFlat.length >>> 2;
  const acc = new Uint32Array(4);
  for (let i = n - 1; i >= 0; i--) {
    eMulAt(acc, 0, acc, 0, x, 0);
    acc[0] = add(acc[0]!, coeffsFlat[4 * i]!);
    acc[1] = add(acc[1]!, coeffsFlat[4 * i + 1]!);
    acc[2] = add(acc[2]!, coeffsFlat[4 * i + 2]!);
    acc[3] = add(acc[3]!, coeffsFlat[4 * i + 3]!);
  }
  return acc as Ext;
}

/**
 * An extension element from ≥ 32 bytes: each coefficient is a little-endian u64 reduced mod p, so its statistical
 * distance from uniform is ≤ p/2^64 < 2^-33 per coefficient. For test vectors and prover-side randomness, NOT for
 * Fiat–Shamir challenges (the transcript uses exact rejection sampling).
 */
export function eFromBytes(bytes: Uint8Array): Ext {
  if (bytes.length < 32) throw new RangeError("eFromBytes needs 32 bytes");
  const c = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    let lo = 0, hi = 0;
    for (let j = 3; j >= 0; j--) lo = lo * 256 + bytes[8 * k + j]!;
    for (let j = 7; j >= 4; j--) hi = hi * 256 + bytes[8 * k + j]!;
    // (hi·2^32 + lo) mod p, with 2^32 mod p = 2^32 − 2p = 268435454.
    c[k] = (mul(hi % P, 268435454) + (lo % P)) % P;
  }
  return extOf(c[0]!, c[1]!, c[2]!, c[3]!);
}

// ---------------------------------------------------------------- encoding: 4 × u32 LE, canonical

export function writeExt(out: Uint8Array, off: number, a: Uint32Array): void {
  for (let k = 0; k < 4; k++) writeFe(out, off + 4 * k, a[k]!);
}

export function encodeExt(a: Uint32Array): Uint8Array {
  const out = new Uint8Array(16);
  writeExt(out, 0, a);
  return out;
}

/** Decode 16 bytes at `off`; each coefficient must be canonical (NonCanonical) and present (Malformed). */
export function decodeExt(bytes: Uint8Array, off = 0): Ext {
  if (off < 0 || off + 16 > bytes.length) throw new VerifierError("Malformed", `extension element at ${off}: buffer too short`);
  return extOf(decodeFe(bytes, off), decodeFe(bytes, off + 4), decodeFe(bytes, off + 8), decodeFe(bytes, off + 12));
}

/** Coefficient k of a (typed as Fe). */
export function eCoeff(a: Uint32Array, k: 0 | 1 | 2 | 3): Fe {
  return a[k]! as Fe;
}
