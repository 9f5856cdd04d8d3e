// The verifier's flat DEEP layer (verifier/deep.ts deepValuesFlat) against the scalar form (deepCoefficients +
// deepAt) on random OOD values and opened rows, for the VM AIR's shape (9 tables, aux on some) and a one-table AIR.
import { describe, expect, it } from "vitest";
import { deepAt, deepCoefficients, deepValuesFlat } from "../verifier/deep.ts";
import { proofShape } from "../verifier/protocol.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { DEFAULT_PARAMS } from "../verifier/params.ts";
import { extOf, eEq, eMul } from "../verifier/ext.ts";
import { GENERATOR, P, mul, pow, rootOfUnity } from "../verifier/field.ts";
import type { Air } from "../verifier/air.ts";
import type { TableOodValues } from "../verifier/proof-types.ts";
import { fibonacciAir } from "../prover/examples/fibonacci.ts";
import { vmAir } from "../vm/air/index.ts";
import { asmProgram } from "../vm/executor/asm.ts";

function rng(seed: number): () => number {
  let s = BigInt(seed);
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
    return Number((s >> 33n) % BigInt(P));
  };
}

const cases: [string, Air, number[], boolean][] = [
  ["vm", vmAir(asmProgram([["CONST", 0, 3], ["ADDI", 0, 0, -1], ["BRNZ", 0, 1], ["EXIT", 0]] as never)), [8, 10, 9, 16, 6, 10, 6, 6, 10], true],
  ["fibonacci", fibonacciAir, [5], false],
];

describe("flat DEEP layer", () => {
  for (const [name, air, logHeights, zk] of cases) {
    it(`${name}: equals deepCoefficients + deepAt at random points`, () => {
      const sym = symbolicAir(air);
      const params = { ...DEFAULT_PARAMS, zk };
      const shape = proofShape(sym, params, logHeights, 0);
      const r = rng(name.length + 3);
      const ext = () => extOf(r(), r(), r(), r());
      const ood: TableOodValues[] = shape.logHeights.map((_, t) => ({
        mainZ: Array.from({ length: shape.mainWidth[t]! }, ext), mainZw: Array.from({ length: shape.mainWidth[t]! }, ext),
        auxZ: Array.from({ length: shape.auxWidth[t]! }, ext), auxZw: Array.from({ length: shape.auxWidth[t]! }, ext),
        quotZ: Array.from({ length: shape.quotWidth[t]! }, ext),
      }));
      const sum = (w: readonly number[]) => w.reduce((a, b) => a + b, 0);
      const Wm = sum(shape.mainWidth), Wa = sum(shape.auxWidth), Wq = sum(shape.quotWidth);
      const U = 7;
      const rows = {
        main: Uint32Array.from({ length: U * Wm }, (_, i) => (i % 5 === 0 ? 0 : r())),
        aux: Wa > 0 ? Uint32Array.from({ length: U * Wa }, r) : undefined,
        quotient: Uint32Array.from({ length: U * Wq }, r),
      };
      const lambda = ext(), zeta = ext();
      const zetaW = shape.logHeights.map((l) => eMul(zeta, extOf(rootOfUnity(l))));
      const wN = rootOfUnity(shape.logLde);
      const xs = Array.from({ length: U }, (_, k) => mul(GENERATOR, pow(wN, 1000 * k + 17)));
      const got = deepValuesFlat(shape, ood, lambda, zeta, zetaW, xs, rows);
      const co = deepCoefficients(shape, ood, lambda);
      for (let k = 0; k < U; k++) {
        let om = 0, oa = 0, oq = 0;
        const perTable = shape.logHeights.map((_, t) => {
          const row = {
            main: rows.main.subarray(k * Wm + om, k * Wm + om + shape.mainWidth[t]!),
            aux: shape.auxWidth[t]! > 0 ? rows.aux!.subarray(k * Wa + oa, k * Wa + oa + shape.auxWidth[t]!) : undefined,
            quot: rows.quotient.subarray(k * Wq + oq, k * Wq + oq + shape.quotWidth[t]!),
          };
          om += shape.mainWidth[t]!; oa += shape.auxWidth[t]!; oq += shape.quotWidth[t]!;
          return row;
        });
        expect(eEq(got.subarray(4 * k, 4 * k + 4), deepAt(co, xs[k]!, zeta, zetaW, perTable)), `row ${k}`).toBe(true);
      }
    });
  }

  it("refuses rows that do not match the shape", () => {
    const sym = symbolicAir(fibonacciAir);
    const shape = proofShape(sym, { ...DEFAULT_PARAMS, zk: false }, [5], 0);
    const w = shape.mainWidth[0]!;
    const ood: TableOodValues[] = [{ mainZ: Array.from({ length: w }, () => extOf(1)), mainZw: Array.from({ length: w }, () => extOf(2)), auxZ: [], auxZw: [], quotZ: Array.from({ length: shape.quotWidth[0]! }, () => extOf(3)) }];
    const rows = (m: number) => ({ main: new Uint32Array(m), aux: undefined, quotient: new Uint32Array(shape.quotWidth[0]!) });
    expect(() => deepValuesFlat(shape, ood, extOf(5), extOf(7, 1), [extOf(7, 1)], [3], rows(w))).not.toThrow();
    expect(() => deepValuesFlat(shape, ood, extOf(5), extOf(7, 1), [extOf(7, 1)], [3], rows(w - 1))).toThrow(/do not match the shape/);
  });
});
