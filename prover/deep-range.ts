/**
 * The pointwise part of the DEEP composition on a range [from, to) of the LDE coset g·H_N:
 *   out(x) += (num_0(x) − sub_0)/(x − pt_0) + scale·Σ_t (num_t(x) − sub_t)/(x − pt_t)
 * (numerators coordinate-major over all N points, output interleaved 4 per point as FRI takes it). Pure and
 * range-local, so prover/quotient-parallel.ts can run disjoint ranges on workers.
 */
import { GENERATOR, P, batchInverse, mul as fieldMul, pow, rootOfUnity } from "../verifier/field.ts";
import { eAdd, eMul, ePow, type Ext } from "../verifier/ext.ts";
import { mulInto } from "./vec-eval.ts";

const mul: (a: number, b: number) => number = fieldMul;

/**
 * 1/(x_i − ζ) for base-field points x_i and an extension point ζ, coordinate-major (4·L), without extension
 * inversions: with z_k = ζ^{p^k} (Frobenius conjugates), q(Y) = (Y − z_1)(Y − z_2)(Y − z_3) and the norm
 * m(Y) = (Y − ζ)·q(Y) ∈ F_p[Y], 1/(x − ζ) = q(x)/m(x). Per point: q(x) 8 multiplications, m(x) 3, one base
 * batch inversion (3) and q·m⁻¹ (4) — about a third of an extension batch inversion.
 */
export function inverseOfBaseMinusExt(xs: Uint32Array, zeta: Ext): Uint32Array {
  const L = xs.length;
  const z1 = ePow(zeta, P), z2 = ePow(z1, P), z3 = ePow(z2, P);
  const e1 = eAdd(eAdd(z1, z2), z3);
  const e2 = eAdd(eAdd(eMul(z1, z2), eMul(z1, z3)), eMul(z2, z3));
  const e3 = eMul(eMul(z1, z2), z3);
  // m(Y) = Y⁴ − s1·Y³ + s2·Y² − s3·Y + s4 (coefficients in F_p: coordinate 0)
  const s1 = eAdd(zeta, e1)[0]!, s2 = eAdd(e2, eMul(zeta, e1))[0]!, s3 = eAdd(e3, eMul(zeta, e2))[0]!, s4 = eMul(zeta, e3)[0]!;
  const m = new Uint32Array(L);
  const qv = new Uint32Array(4 * L);
  for (let i = 0; i < L; i++) {
    const x = xs[i]!;
    // m(x) by Horner in F_p
    let t = (x - s1 + P) % P;
    t = (mul(t, x) + s2) % P;
    t = (mul(t, x) - s3 + P) % P;
    m[i] = (mul(t, x) + s4) % P;
    // q(x) = ((x − e1)·x + e2)·x − e3 in F_p⁴ (x ∈ F_p scales each coordinate)
    let a0 = (x - e1[0]! + P) % P, a1 = e1[1] === 0 ? 0 : P - e1[1]!, a2 = e1[2] === 0 ? 0 : P - e1[2]!, a3 = e1[3] === 0 ? 0 : P - e1[3]!;
    a0 = (mul(a0, x) + e2[0]!) % P; a1 = (mul(a1, x) + e2[1]!) % P; a2 = (mul(a2, x) + e2[2]!) % P; a3 = (mul(a3, x) + e2[3]!) % P;
    qv[i] = (mul(a0, x) - e3[0]! + P) % P;
    qv[L + i] = (mul(a1, x) - e3[1]! + P) % P;
    qv[2 * L + i] = (mul(a2, x) - e3[2]! + P) % P;
    qv[3 * L + i] = (mul(a3, x) - e3[3]! + P) % P;
  }
  const mi = batchInverse(m);
  for (let k = 0; k < 4; k++) for (let i = 0; i < L; i++) qv[k * L + i] = mul(qv[k * L + i]!, mi[i]!);
  return qv;
}

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
  const e = new Uint32Array(4 * L), prod = new Uint32Array(4 * L), sc = new Uint32Array(4 * L);
  for (const t of terms) {
    const d = inverseOfBaseMinusExt(xs, t.point);
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
