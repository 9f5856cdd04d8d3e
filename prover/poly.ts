/**
 * Polynomial helpers for the STARK prover on top of the NTT kernels (prover/ntt.ts): coset interpolation and
 * evaluation of base columns (extension columns are handled as 4 base coordinate columns).
 */
import { interpolateCoset, evaluate } from "./ntt.ts";

/** Coefficients of the polynomial taking `evals` on shift·H_{len} (a copy; `evals` is left untouched). */
export function cosetInterpolate(evals: Uint32Array, shift: number): Uint32Array {
  return interpolateCoset(Uint32Array.from(evals), shift);
}

/** Evaluations of `coeffs` (length ≤ 2^logD) on shift·H_{2^logD}. */
export function cosetEvaluate(coeffs: Uint32Array, logD: number, shift: number): Uint32Array {
  return evaluate(coeffs, logD, shift);
}
