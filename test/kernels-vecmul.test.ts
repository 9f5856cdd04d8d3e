// The WASM pointwise products (prover/kernels/vecmul.ts) against the JavaScript reference (prover/vec-eval.ts
// mulInto): base·base, ext·base, base·ext, ext·ext on random and edge values, and aliasing of out with an input.
import { describe, expect, it } from "vitest";
import { addSubVectors, batchInvertExtKernel, mulVectors } from "../prover/kernels/vecmul.ts";
import { batchInvertExt } from "../prover/logup-trace.ts";
import { eInv, eMul, extOf, type Ext } from "../verifier/ext.ts";
import { mulInto } from "../prover/vec-eval.ts";
import { P } from "../verifier/field.ts";

const EDGE = [0, 1, 2, 11, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2, 2 ** 27, 2 ** 30, 2 ** 31 - 1 - (2 ** 31 - P), 65535, 65536];

function vec(len: number, seed: number): Uint32Array {
  const x = new Uint32Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = i < EDGE.length * 3 ? EDGE[(i + seed) % EDGE.length]! : s % P;
  }
  return x;
}

describe("WASM vector products", () => {
  for (const n of [4, 16, 2048]) {
    for (const [la, lb] of [[1, 1], [4, 1], [1, 4], [4, 4]] as const) {
      it(`n = ${n}: ${la === 4 ? "ext" : "base"} · ${lb === 4 ? "ext" : "base"} equals the JavaScript product`, () => {
        const a = vec(la * n, 7 + la), b = vec(lb * n, 99 + lb);
        const want = new Uint32Array(Math.max(la, lb) * n), got = new Uint32Array(want.length);
        mulInto(want, a, b, n);
        mulVectors(got, a, b, n);
        expect(got).toEqual(want);
        if (got.length === a.length) {
          const a2 = a.slice();
          mulVectors(a2, a2, b, n); // out aliasing an input
          expect(a2).toEqual(want);
        }
      });
    }
  }
  for (const [la, lb] of [[1, 1], [4, 1], [1, 4], [4, 4]] as const) {
    it(`${la === 4 ? "ext" : "base"} ± ${lb === 4 ? "ext" : "base"} equals the field sum and difference`, () => {
      const n = 64;
      const a = vec(la * n, 3 + la), b = vec(lb * n, 5 + lb);
      const len = Math.max(a.length, b.length);
      const sum = new Uint32Array(len), diff = new Uint32Array(len);
      addSubVectors(sum, a, b, n, false);
      addSubVectors(diff, a, b, n, true);
      for (let i = 0; i < len; i++) {
        const x = BigInt(a[i] ?? 0), y = BigInt(b[i] ?? 0), p = BigInt(P);
        expect(BigInt(sum[i]!)).toBe((x + y) % p);
        expect(BigInt(diff[i]!)).toBe((((x - y) % p) + p) % p);
      }
    });
  }
  for (const n of [1, 3, 4, 1000]) {
    it(`extension batch inversion of ${n} elements equals the JavaScript one, and x·x⁻¹ = 1`, () => {
      const v = vec(4 * n, 17 + n);
      for (let i = 0; i < n; i++) if (v[i] === 0 && v[n + i] === 0 && v[2 * n + i] === 0 && v[3 * n + i] === 0) v[i] = 1;
      const want = v.slice(), got = v.slice();
      batchInvertExt(want, n);
      batchInvertExtKernel(got, n, (x) => eInv(x as Ext));
      expect(got).toEqual(want);
      for (let i = 0; i < n; i += Math.max(1, n >> 3)) {
        const x = extOf(v[i]!, v[n + i]!, v[2 * n + i]!, v[3 * n + i]!), y = extOf(got[i]!, got[n + i]!, got[2 * n + i]!, got[3 * n + i]!);
        expect([...eMul(x, y)]).toEqual([1, 0, 0, 0]);
      }
    });
  }
  it("extension batch inversion refuses a zero element", () => {
    const v = vec(16, 5);
    v[2] = 0; v[6] = 0; v[10] = 0; v[14] = 0;
    expect(() => batchInvertExtKernel(v, 4, (x) => eInv(x as Ext))).toThrow(RangeError);
  });
  it("refuses lengths that are not whole 4-lane groups or do not match", () => {
    expect(() => mulVectors(new Uint32Array(6), new Uint32Array(6), new Uint32Array(6), 6)).toThrow();
    expect(() => mulVectors(new Uint32Array(8), new Uint32Array(8), new Uint32Array(12), 8)).toThrow();
  });
});
