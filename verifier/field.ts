/**
 * BabyBear prime field, p = 15·2^27 + 1 = 2013265921 (docs/architecture.md, "Field conventions").
 *
 * Representation: a JS `number` holding the canonical value in [0, p). Vectors are `Uint32Array`.
 * `Fe` is a branded number: every function here RETURNS `Fe`, but ACCEPTS plain `number` so that elements read out
 * of a `Uint32Array` (typed `number`) can be passed without casts on hot paths. Callers must pass canonical values;
 * untrusted input goes through `fe()` / `decodeFe()` / `readFeVector()`, which check the range.
 *
 * Multiplication: a·b < 2^62 does not fit a double's 53-bit mantissa, so `a * b % P` is wrong. We use a
 * floating-point Barrett quotient plus exact 32-bit wrap-around arithmetic (see `mul`). Benchmarked against a
 * 16-bit split with two float `%` (bench/fuzz-field.ts prints both): the Barrett form is ~2–3× faster in V8.
 */
import { VerifierError } from "./errors.ts";

declare const feBrand: unique symbol;
/** A canonical BabyBear element: an integer in [0, P). */
export type Fe = number & { readonly [feBrand]: true };

export const P = 2013265921;
export const P_BIG = 2013265921n;
/** Multiplicative generator of F_p^* (also the LDE coset shift). */
export const GENERATOR = 31 as Fe;
/** p − 1 = 15 · 2^27. */
export const TWO_ADICITY = 27;
export const ZERO = 0 as Fe;
export const ONE = 1 as Fe;
/** Bytes per serialized element (u32 little endian). */
export const FE_BYTES = 4;

const INV_P = 1 / P;

/** Brand a value after checking it is a canonical element (integer in [0, p)); throws NonCanonical otherwise. */
export function fe(x: number): Fe {
  if (!Number.isInteger(x) || x < 0 || x >= P) throw new VerifierError("NonCanonical", `not a canonical field element: ${x}`);
  return x as Fe;
}

/** Reduce any safe integer (possibly negative) into [0, p). */
export function reduce(x: number): Fe {
  const r = x % P;
  return (r < 0 ? r + P : r) as Fe;
}

/** Reduce a bigint (possibly negative) into [0, p). */
export function fromBigInt(x: bigint): Fe {
  const r = x % P_BIG;
  return Number(r < 0n ? r + P_BIG : r) as Fe;
}

export function isCanonical(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < P;
}

export function add(a: number, b: number): Fe {
  const s = a + b;
  return (s >= P ? s - P : s) as Fe;
}

export function sub(a: number, b: number): Fe {
  const s = a - b;
  return (s < 0 ? s + P : s) as Fe;
}

export function neg(a: number): Fe {
  return (a === 0 ? 0 : P - a) as Fe;
}

export function double(a: number): Fe {
  return add(a, a);
}

/**
 * Exact a·b mod p for canonical a, b.
 *
 * Why it is exact: x = a·b as a double has absolute error ≤ 2^8 (a·b < 2^62, 53-bit mantissa), so
 * q = trunc(x / p) differs from the true quotient by at most 1, and only when a·b mod p is within ~2^9 of 0 or p.
 * Hence the true remainder r = a·b − q·p lies in (−2^10, p + 2^10) ⊂ (−2^31, 2^31), so computing it modulo 2^32
 * with Math.imul (low 32 bits of each product) and reading it as int32 recovers it exactly; one conditional
 * correction lands in [0, p). Verified against BigInt by test/field.test.ts (10^5 pairs + edge values) and
 * `npm run fuzz:field` (10^6).
 */
export function mul(a: number, b: number): Fe {
  const q = (a * b * INV_P) >>> 0;
  let r = (Math.imul(a, b) - Math.imul(q, P)) | 0;
  if (r < 0) r += P;
  else if (r >= P) r -= P;
  return r as Fe;
}

/** Alternative multiply (16-bit split of b, two float remainders); kept for the benchmark and as a cross-check. */
export function mulSplit(a: number, b: number): Fe {
  return ((((a * (b >>> 16)) % P) * 65536 + a * (b & 0xffff)) % P) as Fe;
}

export function square(a: number): Fe {
  return mul(a, a);
}

/** a^e for e ≥ 0 (number up to 2^53 or bigint). */
export function pow(a: number, e: number | bigint): Fe {
  if (typeof e === "bigint") {
    if (e < 0n) throw new RangeError("negative exponent");
    let r = 1;
    let b = a;
    let x = e;
    while (x > 0n) {
      if (x & 1n) r = mul(r, b);
      b = mul(b, b);
      x >>= 1n;
    }
    return r as Fe;
  }
  if (!Number.isSafeInteger(e) || e < 0) throw new RangeError(`bad exponent ${e}`);
  let r = 1;
  let b = a;
  let x = e;
  while (x > 0) {
    if (x % 2 === 1) r = mul(r, b);
    x = Math.floor(x / 2);
    if (x > 0) b = mul(b, b);
  }
  return r as Fe;
}

/** Multiplicative inverse by Fermat (a^(p−2)). Throws RangeError on 0: callers that take untrusted input check first. */
export function inv(a: number): Fe {
  if (a === 0) throw new RangeError("inverse of zero");
  return pow(a, P - 2);
}

export function div(a: number, b: number): Fe {
  return mul(a, inv(b));
}

/**
 * Montgomery's batch inversion: one `inv` and 3(n−1) multiplications. Every input must be non-zero
 * (throws RangeError otherwise, naming the index).
 */
export function batchInverse(xs: ArrayLike<number>): Uint32Array {
  const n = xs.length;
  const out = new Uint32Array(n);
  let acc = 1;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    if (x === 0) throw new RangeError(`batchInverse: zero at index ${i}`);
    out[i] = acc;
    acc = mul(acc, x);
  }
  let ia: number = n === 0 ? 1 : inv(acc);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = mul(out[i]!, ia);
    ia = mul(ia, xs[i]!);
  }
  return out;
}

const ROOTS: Fe[] = [];
/** The primitive 2^logN-th root of unity ω = g^((p−1)/2^logN), 0 ≤ logN ≤ 27. */
export function rootOfUnity(logN: number): Fe {
  if (!Number.isInteger(logN) || logN < 0 || logN > TWO_ADICITY) throw new RangeError(`no 2^${logN}-th root of unity in BabyBear`);
  let r = ROOTS[logN];
  if (r === undefined) {
    r = pow(GENERATOR, (P - 1) / 2 ** logN);
    ROOTS[logN] = r;
  }
  return r;
}

/** [1, x, x², …, x^(n−1)]. */
export function powers(x: number, n: number): Uint32Array {
  const out = new Uint32Array(n);
  let c = 1;
  for (let i = 0; i < n; i++) {
    out[i] = c;
    c = mul(c, x);
  }
  return out;
}

// ---------------------------------------------------------------- encoding (u32 little endian, canonical only)

/** Write `x` as u32 LE at `off` of `out`. */
export function writeFe(out: Uint8Array, off: number, x: number): void {
  out[off] = x & 0xff;
  out[off + 1] = (x >>> 8) & 0xff;
  out[off + 2] = (x >>> 16) & 0xff;
  out[off + 3] = (x >>> 24) & 0xff;
}

export function encodeFe(x: number): Uint8Array {
  const out = new Uint8Array(4);
  writeFe(out, 0, x);
  return out;
}

/** Read a u32 LE at `off` and reject values ≥ p (NonCanonical) or a short buffer (Malformed). */
export function decodeFe(bytes: Uint8Array, off = 0): Fe {
  if (off < 0 || off + 4 > bytes.length) throw new VerifierError("Malformed", `field element at ${off}: buffer too short`);
  const v = (bytes[off]! | (bytes[off + 1]! << 8) | (bytes[off + 2]! << 16) | (bytes[off + 3]! << 24)) >>> 0;
  if (v >= P) throw new VerifierError("NonCanonical", `field element ${v} ≥ p at byte ${off}`);
  return v as Fe;
}

export function encodeFeVector(xs: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 * xs.length);
  for (let i = 0; i < xs.length; i++) writeFe(out, 4 * i, xs[i]!);
  return out;
}

/** Decode exactly `bytes.length / 4` canonical elements (length must be a multiple of 4). */
export function decodeFeVector(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new VerifierError("Malformed", `field vector byte length ${bytes.length} not a multiple of 4`);
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = decodeFe(bytes, 4 * i);
  return out;
}
