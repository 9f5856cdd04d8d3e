/**
 * Inverses 1/(x − ζ) of many base points minus one extension point: the JavaScript form of the prover's OOD
 * barycentric weights (prover/ood.ts uses the WASM kernel assembly/bary.ts, which computes the same thing, for
 * every domain of at least 4 points, and this for smaller ones; tests compare the two).
 */
import { P, batchInverse, mul as fieldMul } from "../verifier/field.ts";
import { eAdd, eMul, ePow, type Ext } from "../verifier/ext.ts";

const mul: (a: number, b: number) => number = fieldMul;

/**
 * 1/(x_i − ζ) for base-field points x_i and an extension point ζ, coordinate-major (4·L), without extension
 * inversions: with z_k = ζ^{p^k} (Frobenius conjugates), q(Y) = (Y − z_1)(Y − z_2)(Y − z_3) and the norm
 * m(Y) = (Y − ζ)·q(Y) ∈ F_p[Y], 1/(x − ζ) = q(x)/m(x). Per point: q(x) 8 multiplications, m(x) 3, one base
 * batch inversion (3) and q·m⁻¹ (4) — about a third of an extension batch inversion.
 */
export function inverseOfBaseMinusExt(xs: Uint32Array, zeta: Ext): Uint32Array {
  const L = xs.length;
  const { s1, s2, s3, s4, e1, e2, e3 } = normCoefficients(zeta);
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

/**
 * The norm m(Y) = (Y − ζ)·q(Y) = Y⁴ − s1·Y³ + s2·Y² − s3·Y + s4 ∈ F_p[Y] and q(Y) = ((Y − e1)·Y + e2)·Y − e3, with
 * z_k = ζ^{p^k} (Frobenius conjugates) and e1, e2, e3 the elementary symmetric functions of z_1, z_2, z_3.
 */
export function normCoefficients(zeta: Ext): { s1: number; s2: number; s3: number; s4: number; e1: Ext; e2: Ext; e3: Ext } {
  const z1 = ePow(zeta, P), z2 = ePow(z1, P), z3 = ePow(z2, P);
  const e1 = eAdd(eAdd(z1, z2), z3);
  const e2 = eAdd(eAdd(eMul(z1, z2), eMul(z1, z3)), eMul(z2, z3));
  const e3 = eMul(eMul(z1, z2), z3);
  // m's coefficients lie in F_p (coordinate 0)
  return { s1: eAdd(zeta, e1)[0]!, s2: eAdd(e2, eMul(zeta, e1))[0]!, s3: eAdd(e3, eMul(zeta, e2))[0]!, s4: eMul(zeta, e3)[0]!, e1, e2, e3 };
}
