// Exact products of byte-decomposed integers, shared by the coprocessor tables (DOT, AXPY): an integer u = Σ u_i·2^(8i)
// (top byte signed where the value is) times v is gathered into 16-bit limb positions, where each byte product
// (< 2^16 in magnitude) lands at limb ⌊(i + j)/2⌋, times 256 when i + j is odd. The constraint form and the trace
// form are the same sum, so the trace builder and the constraints cannot disagree on it.
import type { AirBuilder, Expr } from "../../verifier/air.ts";
import { P as P_MOD } from "../../verifier/fp.ts";
import { VmAirError } from "./buses.ts";

/** Offset that makes a signed carry (|c| < 2^15) a RANGE16 value. */
export const CARRY_OFFSET = 2 ** 15;
/** 2^32 mod p, to turn a signed word's limbs (with its sign bit) into its value as a field element. */
export const TWO32_MOD_P = 2 ** 32 % P_MOD;

/** Limb k of Σ u_i·v_j·2^(8(i+j)) as a constraint expression. */
export function byteProductLimb(b: AirBuilder, u: readonly Expr[], v: readonly Expr[], k: number): Expr {
  let sum: Expr = b.constant(0);
  u.forEach((ui, i) => v.forEach((vj, j) => {
    if (i + j === 2 * k) sum = sum.add(ui.mul(vj));
    else if (i + j === 2 * k + 1) sum = sum.add(ui.mul(vj).mul(256));
  }));
  return sum;
}

/** Limbs 0..limbs−1 of Σ u_i·v_j·2^(8(i+j)) as integers (the trace side of byteProductLimb). */
export function byteProductLimbs(u: readonly number[], v: readonly number[], limbs: number): number[] {
  const out = new Array<number>(limbs).fill(0);
  u.forEach((ui, i) => v.forEach((vj, j) => { out[(i + j) >> 1]! += ((i + j) & 1 ? 256 : 1) * ui * vj; }));
  return out;
}

/**
 * The signed carries of a limb identity Σ lhs_k·2^(16k) = Σ rhs_k·2^(16k) with no carry out of the top limb (one per
 * limb but the last). Throws TraceError naming `what` if the identity does not hold: builder and constraints disagree.
 */
export function limbCarries(lhs: readonly number[], rhs: readonly number[], what: string): number[] {
  let cin = 0;
  const out: number[] = [];
  for (let k = 0; k < lhs.length; k++) {
    const d = lhs[k]! + cin - rhs[k]!;
    if (d % 65536 !== 0) throw new VmAirError("TraceError", `${what}: limb ${k} does not carry`);
    cin = d / 65536;
    if (k < lhs.length - 1) out.push(cin);
    else if (cin !== 0) throw new VmAirError("TraceError", `${what}: carry out of the top limb`);
  }
  return out;
}

/** The 16-bit limbs and the bytes of a u32, and a signed integer as a canonical field element. */
export const lo16 = (w: number): number => w & 0xffff;
export const hi16 = (w: number): number => w >>> 16;
export const bytesOfWord = (w: number): number[] => [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24];
export const toField = (x: number): number => ((x % P_MOD) + P_MOD) % P_MOD;
