import { describe, expect, it } from "vitest";
import { P } from "../verifier/field.ts";
import { eAdd, eMul, extOf, type Ext } from "../verifier/ext.ts";
import { deepDivide } from "../prover/deep-divide.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % P; };
}
const at = (v: readonly Uint32Array[], i: number): Ext => extOf(...[0, 1, 2, 3].map((k) => v[k]![i] ?? 0) as [number, number, number, number]);

/** Synthetic division of c (n coefficients) by X − z with extension arithmetic: quotient (n − 1) and remainder. */
function divide(c: (i: number) => Ext, n: number, z: Ext): { q: Ext[]; rem: Ext } {
  const q: Ext[] = new Array<Ext>(Math.max(0, n - 1));
  let r = extOf(0);
  for (let i = n - 1; i >= 0; i--) {
    r = eAdd(c(i), eMul(z, r));
    if (i > 0) q[i - 1] = r;
  }
  return { q, rem: r };
}

describe("DEEP divisions in the WASM kernel", () => {
  it("add (T + Q)/(X − ζ) + μ·T/(X − ζω) to the accumulator and return both remainders, for any length and chunking", () => {
    const r = rng(5);
    const ext = () => extOf(r(), r(), r(), r());
    // n below, at and across the kernel's 2^14-coefficient chunks; Q shorter than T, T shorter than n (zero-padded)
    for (const [n, tLen, qLen] of [[1, 1, 1], [2, 2, 1], [7, 5, 7], [16384, 16384, 9000], [16385, 16385, 16385], [40000, 39990, 20000]] as const) {
      const t = [0, 1, 2, 3].map(() => Uint32Array.from({ length: tLen }, r));
      const q = [0, 1, 2, 3].map(() => Uint32Array.from({ length: qLen }, r));
      const acc = [0, 1, 2, 3].map(() => Uint32Array.from({ length: Math.max(0, n - 1) }, r));
      const acc0 = acc.map((v) => v.slice());
      const zeta = ext(), zw = ext(), mu = ext();
      const got = deepDivide(t, q, n, zeta, zw, mu, acc);
      const A = divide((i) => eAdd(at(t, i), at(q, i)), n, zeta);
      const T = divide((i) => at(t, i), n, zw);
      expect(got.a, `n ${n}`).toEqual(A.rem);
      expect(got.b, `n ${n}`).toEqual(T.rem);
      let bad = -1;
      for (let i = 0; i < n - 1 && bad < 0; i++) {
        const want = eAdd(eAdd(at(acc0, i), A.q[i]!), eMul(mu, T.q[i]!));
        if (![0, 1, 2, 3].every((k) => acc[k]![i] === want[k])) bad = i;
      }
      expect(bad, `n ${n}: first wrong coefficient`).toBe(-1);
    }
  });

  it("refuses vectors that do not fit", () => {
    const v = (len: number) => [0, 1, 2, 3].map(() => new Uint32Array(len));
    const z = extOf(1, 2, 3, 4);
    expect(() => deepDivide(v(9), v(8), 8, z, z, z, v(7))).toThrow(RangeError);
    expect(() => deepDivide(v(8), v(8), 8, z, z, z, v(6))).toThrow(RangeError);
    expect(() => deepDivide(v(8).slice(1), v(8), 8, z, z, z, v(7))).toThrow(RangeError);
  });
});
