import { describe, expect, it } from "vitest";
import { P, powers, rootOfUnity } from "../verifier/field.ts";
import { eAdd, eMul, eInv, eSub, extOf, type Ext } from "../verifier/ext.ts";
import { barycentricWeights, evalBarycentric, evalCoeffColumns, extPowersFlat, weightsJs } from "../prover/ood.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % P; };
}
const at = (v: Uint32Array, n: number, i: number): Ext => extOf(v[i]!, v[n + i]!, v[2 * n + i]!, v[3 * n + i]!);
const firstDifference = (a: Uint32Array, b: Uint32Array) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
};

describe("OOD kernels", () => {
  it("barycentric weights ω^i/(ζ − ω^i) from the kernel equal the JavaScript ones and the definition", () => {
    const r = rng(3);
    for (const logD of [2, 3, 5, 12, 17]) {
      // a random ζ, and ζ in the base field (its Frobenius conjugates coincide)
      for (const zeta of [extOf(r(), r(), r(), r()), extOf(r(), 0, 0, 0)]) {
        const D = 2 ** logD;
        const w = barycentricWeights(logD, zeta).w;
        expect(firstDifference(w, weightsJs(logD, zeta)), `2^${logD}`).toBe(-1);
        const pts = powers(rootOfUnity(logD), D);
        for (const i of [0, 1, 2, 3, D - 1, D >> 1]) {
          expect(at(w, D, i)).toEqual(eMul(extOf(pts[i]!), eInv(eSub(zeta, extOf(pts[i]!)))));
        }
      }
    }
  });

  it("evaluate a polynomial given on H_D at ζ (barycentric) and from its coefficients (powers of ζ)", async () => {
    const r = rng(4);
    for (const logD of [1, 2, 4, 10]) {
      const D = 2 ** logD;
      const coeffs = Uint32Array.from({ length: D }, r);
      const om = rootOfUnity(logD);
      const evals = Uint32Array.from(powers(om, D), (x) => {
        let acc = 0n;
        for (let j = D - 1; j >= 0; j--) acc = (acc * BigInt(x) + BigInt(coeffs[j]!)) % BigInt(P);
        return Number(acc);
      });
      const zeta = extOf(r(), r(), r(), r());
      let want = extOf(0);
      for (let j = D - 1; j >= 0; j--) want = eAdd(eMul(want, zeta), extOf(coeffs[j]!));
      expect((await evalBarycentric([evals], barycentricWeights(logD, zeta)))[0]).toEqual(want);
      const pw = extPowersFlat(zeta, D + 3); // longer than the column: zero-padded
      expect((await evalCoeffColumns([coeffs], pw))[0]).toEqual(want);
      let x = extOf(1);
      for (let j = 0; j < D + 3; j++) { expect(at(pw, D + 3, j)).toEqual(x); x = eMul(x, zeta); }
    }
    expect(extPowersFlat(extOf(5), 0).length).toBe(0);
  });
});
