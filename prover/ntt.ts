/**
 * NTT over BabyBear on canonical u32 values (docs/architecture.md, "Prover kernels"), backed by the WASM SIMD
 * kernels. Domains are in natural order: index i ↔ shift · ω^i with ω the primitive 2^logN-th root of unity.
 *
 * Inputs must hold canonical elements (< p); that is the caller's contract (the prover only feeds its own data),
 * not re-checked here on the hot path. Sizes are checked and violations raise KernelError "InvalidArgument".
 */
import { inv, TWO_ADICITY } from "../verifier/field.ts";
import { kernels } from "./kernels/index.ts";
import { invalid } from "./kernels/errors.ts";

/** log2 of a power-of-two length in [1, 2^27]; throws InvalidArgument otherwise. */
export function log2Exact(n: number, what = "length"): number {
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0 || n > 2 ** TWO_ADICITY) {
    invalid(`${what} must be a power of two in [1, 2^${TWO_ADICITY}], got ${n}`);
  }
  return 31 - Math.clz32(n);
}

/** A coset shift must be a non-zero canonical element; throws InvalidArgument otherwise. */
export function checkShift(shift: number): void {
  if (!Number.isInteger(shift) || shift <= 0 || shift >= 2013265921) invalid(`coset shift must be a non-zero canonical element, got ${shift}`);
}

/**
 * Evaluations on H = ⟨ω⟩ (length 2^k, natural order) → the 2^k coefficients of the interpolating polynomial,
 * lowest degree first. Works in place: `evals` is overwritten and returned.
 */
export function interpolate(evals: Uint32Array): Uint32Array {
  const logN = log2Exact(evals.length);
  const n = evals.length;
  if (n === 1) return evals;
  const k = kernels();
  const [, twInv] = k.twiddles(0, logN);
  const ptr = k.scratchBase();
  k.ensure(ptr + 4 * n);
  k.u32().set(evals, ptr >>> 2);
  k.x.dif(ptr, logN, twInv);
  k.x.scale(ptr, n, inv(n));
  k.x.bitReverse(ptr, logN);
  evals.set(k.u32().subarray(ptr >>> 2, (ptr >>> 2) + n));
  return evals;
}

/**
 * Evaluations on the coset shift·H (length 2^k, natural order) → coefficients (in place, returned):
 * interpolate, then undo the shift with c_i ← c_i · shift^(−i).
 */
export function interpolateCoset(evals: Uint32Array, shift: number): Uint32Array {
  checkShift(shift);
  interpolate(evals);
  if (shift === 1) return evals;
  const n = evals.length;
  const k = kernels();
  const ptr = k.scratchBase();
  const tab = ptr + 4 * n;
  k.powersTable(tab, n, inv(shift), 1);
  k.ensure(ptr + 4 * n);
  k.u32().set(evals, ptr >>> 2);
  k.x.mulPointwise(ptr, tab, n);
  evals.set(k.u32().subarray(ptr >>> 2, (ptr >>> 2) + n));
  return evals;
}

/**
 * Coefficients (length ≤ 2^logN, lowest degree first) → the 2^logN evaluations on shift·H_{2^logN}
 * (natural order). Returns a new array.
 */
export function evaluate(coeffs: Uint32Array, logN: number, shift = 1): Uint32Array {
  const n = 2 ** log2Exact(2 ** logN, "2^logN");
  checkShift(shift);
  if (coeffs.length > n) invalid(`${coeffs.length} coefficients do not fit a domain of ${n} points`);
  const k = kernels();
  const [twFwd] = k.twiddles(logN, 0);
  const ptr = k.scratchBase();
  const tab = ptr + 4 * n;
  if (shift !== 1) k.powersTable(tab, coeffs.length, shift, 1);
  k.ensure(ptr + 4 * n);
  const mem = k.u32();
  mem.set(coeffs, ptr >>> 2);
  mem.fill(0, (ptr >>> 2) + coeffs.length, (ptr >>> 2) + n);
  if (shift !== 1) k.x.mulPointwise(ptr, tab, coeffs.length);
  k.x.dif(ptr, logN, twFwd);
  k.x.bitReverse(ptr, logN);
  return k.u32().slice(ptr >>> 2, (ptr >>> 2) + n);
}
