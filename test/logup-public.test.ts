// The verifier's flat public LogUp sum (verifier/logup.ts publicLogupSum) against its scalar reference form.
import { describe, expect, it } from "vitest";
import { publicLogupSum, publicLogupSumReference } from "../verifier/logup.ts";
import { extOf, eEq, eIsZero } from "../verifier/ext.ts";
import { P } from "../verifier/field.ts";
import type { PublicInteractions } from "../verifier/air.ts";

function rng(seed: number): () => number {
  let s = BigInt(seed);
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
    return Number((s >> 33n) % BigInt(P));
  };
}

describe("public LogUp sum", () => {
  it("equals the scalar reference for mixed arities, directions, zero and extreme values", () => {
    const r = rng(3);
    for (let trial = 0; trial < 10; trial++) {
      const pubs: PublicInteractions[] = [1, 2, 4, 7].map((arity, i) => ({
        bus: i === 3 ? P - 1 : r() % 16,
        arity,
        tuples: Uint32Array.from({ length: arity * (5 + trial * 13) }, (_, k) => (k % 3 === 0 ? 0 : k % 5 === 0 ? P - 1 : r())),
        direction: i % 2 === 0 ? "send" : "receive",
      }));
      const ch = [extOf(r(), r(), r(), r()), extOf(r(), r(), r(), r())];
      expect(eEq(publicLogupSum(pubs, ch), publicLogupSumReference(pubs, ch))).toBe(true);
      expect(eEq(publicLogupSum(pubs.slice(0, 1), ch), publicLogupSumReference(pubs.slice(0, 1), ch))).toBe(true);
    }
    expect(eIsZero(publicLogupSum([], [extOf(1), extOf(2)]))).toBe(true);
  });

  it("a tuple whose fingerprint equals α is LogupSumNonZero in both forms", () => {
    // arity 1, bus 0, tuple (t): f = β + β²·t; choose α = f
    const beta = extOf(5), t = 9;
    const alpha = extOf(5 + 25 * t);
    const pubs: PublicInteractions[] = [{ bus: 0, arity: 1, tuples: Uint32Array.of(3, t), direction: "send" }];
    expect(() => publicLogupSum(pubs, [alpha, beta])).toThrow(/equals the challenge/);
    expect(() => publicLogupSumReference(pubs, [alpha, beta])).toThrow(/equals the challenge/);
  });
});
