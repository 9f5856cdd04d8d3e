/**
 * Binding point to the NTT kernels. TEMPORARY plain-JS radix-2 NTT until prover/ntt.ts (H2) lands; then this
 * file only re-exports `interpolate` and `evaluate` from there.
 */
import { inv, mul, add, sub, rootOfUnity } from "../verifier/fp.ts";

function bitReverse(a: Uint32Array): void {
  const n = a.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }
}

/** In-place forward NTT: coefficients → evaluations at ω^i (natural order). */
function ntt(a: Uint32Array, invert: boolean): void {
  const n = a.length;
  bitReverse(a);
  for (let len = 2, lg = 1; len <= n; len <<= 1, lg++) {
    let w = rootOfUnity(lg);
    if (invert) w = inv(w);
    const half = len >> 1;
    const tw = new Uint32Array(half);
    tw[0] = 1;
    for (let k = 1; k < half; k++) tw[k] = mul(tw[k - 1]!, w);
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const u = a[i + k]!;
        const v = mul(a[i + k + half]!, tw[k]!);
        a[i + k] = add(u, v);
        a[i + k + half] = sub(u, v);
      }
    }
  }
  if (invert) {
    const ni = inv(n);
    for (let i = 0; i < n; i++) a[i] = mul(a[i]!, ni);
  }
}

export function interpolate(evals: Uint32Array): Uint32Array {
  ntt(evals, true);
  return evals;
}

export function evaluate(coeffs: Uint32Array, logN: number, shift: number): Uint32Array {
  const n = 2 ** logN;
  if (coeffs.length > n) throw new RangeError("too many coefficients");
  const a = new Uint32Array(n);
  let s = 1;
  for (let j = 0; j < coeffs.length; j++) {
    a[j] = mul(coeffs[j]!, s);
    s = mul(s, shift);
  }
  ntt(a, false);
  return a;
}
