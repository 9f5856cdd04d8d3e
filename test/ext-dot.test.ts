// verifier/ext.ts eDotBaseAcc (lazy-reduced extension·base dot products) against mul/add, on random, extreme and
// long inputs (several 32-term flushes).
import { describe, expect, it } from "vitest";
import { eDotBaseAcc } from "../verifier/ext.ts";
import { add, mul, P } from "../verifier/field.ts";

function rng(seed: number): () => number {
  let s = BigInt(seed);
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
    return Number((s >> 33n) % BigInt(P));
  };
}

describe("eDotBaseAcc", () => {
  it("equals Σ c·v with mul/add for every length up to 200, random and extreme values, at offsets", () => {
    const r = rng(9);
    for (let n = 0; n <= 200; n += n < 70 ? 1 : 13) {
      for (const mode of ["random", "max", "mixed"] as const) {
        const pick = () => (mode === "random" ? r() : mode === "max" ? P - 1 : [0, 1, P - 1, 65535, 65536, P - 65536, r()][r() % 7]!);
        const c = Uint32Array.from({ length: 4 * n + 8 }, pick);
        const v = Array.from({ length: n + 3 }, pick);
        const out = Uint32Array.from({ length: 6 }, pick);
        const want = Array.from(out);
        for (let k = 0; k < 4; k++) for (let j = 0; j < n; j++) want[1 + k] = add(want[1 + k]!, mul(c[8 + 4 * j + k]!, v[3 + j]!));
        eDotBaseAcc(out, 1, c, 8, v, 3, n);
        expect(Array.from(out), `n ${n} ${mode}`).toEqual(want);
      }
    }
  });

  it("still reduces every 32 terms when the value at a flush index is zero (maximal terms around it)", () => {
    const n = 300;
    const c = new Uint32Array(4 * n).fill(P - 1);
    const v = Array.from({ length: n }, (_, j) => ((j & 31) === 31 ? 0 : P - 1));
    const out = new Uint32Array(4);
    eDotBaseAcc(out, 0, c, 0, v, 0, n);
    let want = 0;
    for (let j = 0; j < n; j++) want = add(want, mul(P - 1, v[j]!));
    expect(Array.from(out)).toEqual([want, want, want, want]);
  });
});
