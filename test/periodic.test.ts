// Periodic columns (verifier/periodic.ts) against their definition: I interpolates the values over H_m, and the
// column of a height-2^logN table is I(x^{n/m}). Checked by direct Horner evaluation, not by a second NTT.
import { describe, expect, it } from "vitest";
import { periodicAt, periodicCoeffs, periodicOnCoset } from "../verifier/periodic.ts";
import { add, eAdd, eEq, eMul, ePow, extOf, GENERATOR, mul, pow, rootOfUnity, P, type Ext } from "../verifier/fp.ts";

let seed = 12345;
const rnd = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % P; };
const horner = (c: Uint32Array, x: number): number => { let acc = 0; for (let k = c.length - 1; k >= 0; k--) acc = add(mul(acc, x), c[k]!); return acc; };
const hornerExt = (c: Uint32Array, x: Ext): Ext => { let acc = extOf(0); for (let k = c.length - 1; k >= 0; k--) acc = eAdd(eMul(acc, x), extOf(c[k]!)); return acc; };

describe("periodic columns", () => {
  it("coefficients interpolate the values over H_m (m = 1 … 1024)", () => {
    for (let logM = 0; logM <= 10; logM++) {
      const m = 2 ** logM;
      const values = Array.from({ length: m }, rnd);
      const c = periodicCoeffs(values);
      const w = rootOfUnity(logM);
      for (let i = 0; i < m; i++) expect(horner(c, pow(w, i)), `m ${m} i ${i}`).toBe(values[i]);
    }
  });

  it("on a coset: I((shift·ω_D^i)^{n/m}) for every i, periods shorter than, equal to and longer than m", () => {
    for (const [logM, logN, logD] of [[0, 3, 5], [2, 2, 4], [3, 5, 7], [4, 4, 6], [6, 8, 10], [5, 5, 5]] as const) {
      const values = Array.from({ length: 2 ** logM }, rnd);
      const c = periodicCoeffs(values);
      const out = periodicOnCoset(values, logN, logD, GENERATOR);
      const k = 2 ** (logN - logM);
      const wD = rootOfUnity(logD);
      expect(out.length).toBe(2 ** logD);
      for (let i = 0; i < out.length; i++) expect(out[i], `${logM}/${logN}/${logD} i ${i}`).toBe(horner(c, pow(mul(GENERATOR, pow(wD, i)), k)));
    }
  });

  it("at an extension point: I(ζ^{n/m}); on H_n it returns the column's row values", () => {
    const values = Array.from({ length: 32 }, rnd);
    const c = periodicCoeffs(values);
    const zeta = extOf(rnd(), rnd(), rnd(), rnd());
    expect(eEq(periodicAt(values, 7, zeta), hornerExt(c, ePow(zeta, 4)))).toBe(true);
    const wN = rootOfUnity(7);
    for (const row of [0, 1, 31, 32, 77, 127]) expect(eEq(periodicAt(values, 7, extOf(pow(wN, row))), extOf(values[row % 32]!)), `row ${row}`).toBe(true);
  });
});
