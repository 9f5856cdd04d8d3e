/**
 * Polynomial helpers for the STARK prover on top of the NTT kernels (prover/ntt.ts):
 * coset interpolation/evaluation of base columns, ext columns stored as 4 base coordinate columns.
 */
import { interpolate, evaluate } from "./ntt-adapter.ts";
import { inv, mul, pow } from "../verifier/fp.ts";

/** Coefficients of the polynomial taking `evals` on shift·H_{len} (len = evals.length, a power of two). */
export function cosetInterpolate(evals: Uint32Array, shift: number): Uint32Array {
  const c = interpolate(Uint32Array.from(evals));
  if (shift !== 1) {
    // interpolate() gives the coefficients of Q(shift·y); undo the scaling: c_j ← c_j · shift^{−j}.
    const si = inv(shift);
    let s = 1;
    for (let j = 0; j < c.length; j++) {
      c[j] = mul(c[j]!, s);
      s = mul(s, si);
    }
  }
  return c;
}

/** Evaluations of `coeffs` (length ≤ 2^logD) on shift·H_{2^logD}. */
export function cosetEvaluate(coeffs: Uint32Array, logD: number, shift: number): Uint32Array {
  return evaluate(coeffs, logD, shift);
}

export { pow };
