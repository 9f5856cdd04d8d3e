/**
 * The pointwise part of the DEEP composition on a range [from, to) of the LDE coset g·H_N:
 *   out(x) += (num_0(x) − sub_0)/(x − pt_0) + scale·Σ_t (num_t(x) − sub_t)/(x − pt_t)
 * (numerators coordinate-major over all N points, output interleaved 4 per point as FRI takes it). Pure and
 * range-local, so prover/quotient-parallel.ts can run disjoint ranges on workers.
 */
import { GENERATOR, P, mul as fieldMul, pow, rootOfUnity } from "../verifier/field.ts";
import type { Ext } from "../verifier/ext.ts";
import { batchInvertExt } from "./logup-trace.ts";
import { mulInto } from "./vec-eval.ts";

const mul: (a: number, b: number) => number = fieldMul;

export interface DeepTerm {
  /** numerator values on g·H_N, coordinate-major (4·N) */
  readonly num: Uint32Array;
  readonly sub: Ext;
  readonly point: Ext;
  /** optional extension factor (μ for the ζ·ω_t terms) */
  readonly scale: Ext | undefined;
}

export function deepRange(terms: readonly DeepTerm[], logN: number, from: number, to: number, out: Uint32Array): void {
  const N = 2 ** logN;
  const L = to - from;
  const xs = new Uint32Array(L);
  const w = rootOfUnity(logN);
  let x = mul(GENERATOR, pow(w, from));
  for (let i = 0; i < L; i++) { xs[i] = x; x = mul(x, w); }
  const d = new Uint32Array(4 * L), e = new Uint32Array(4 * L), prod = new Uint32Array(4 * L), sc = new Uint32Array(4 * L);
  for (const t of terms) {
    const pt = t.point;
    for (let i = 0; i < L; i++) {
      d[i] = (xs[i]! - pt[0]! + P) % P;
      d[L + i] = pt[1] === 0 ? 0 : P - pt[1]!;
      d[2 * L + i] = pt[2] === 0 ? 0 : P - pt[2]!;
      d[3 * L + i] = pt[3] === 0 ? 0 : P - pt[3]!;
    }
    batchInvertExt(d, L);
    for (let k = 0; k < 4; k++) {
      const sk = t.sub[k]!;
      for (let i = 0; i < L; i++) { const s = t.num[k * N + from + i]! - sk; e[k * L + i] = s < 0 ? s + P : s; }
    }
    mulInto(prod, e, d, L);
    if (t.scale) {
      for (let k = 0; k < 4; k++) sc.fill(t.scale[k]!, k * L, (k + 1) * L);
      e.set(prod);
      mulInto(prod, e, sc, L);
    }
    for (let k = 0; k < 4; k++) {
      const o = k * L;
      for (let i = 0; i < L; i++) {
        const j = 4 * (from + i) + k;
        const s = out[j]! + prod[o + i]!;
        out[j] = s >= P ? s - P : s;
      }
    }
  }
}
