import { describe, expect, it } from "vitest";
import { P, P_BIG, pow, mul } from "../verifier/field.ts";
import {
  W, extOf, EXT_ONE, EXT_ZERO, eAdd, eSub, eNeg, eMul, eMulBase, eInv, ePow, eEq, eIsZero, eFromBase, eBatchInverse,
  eBatchInverseFlat, eFromBytes, encodeExt, decodeExt, ePolyEval, type Ext,
} from "../verifier/ext.ts";
import { isVerifierError } from "../verifier/errors.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}
function randExt(r: () => number): Ext {
  return extOf(r() % P, r() % P, r() % P, r() % P);
}
/** Schoolbook product in BigInt, reduced by X⁴ = 11: the independent reference. */
function refMul(a: Uint32Array, b: Uint32Array): number[] {
  const c = new Array<bigint>(7).fill(0n);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) c[i + j]! += BigInt(a[i]!) * BigInt(b[j]!);
  for (let k = 6; k >= 4; k--) c[k - 4]! += 11n * c[k]!;
  return c.slice(0, 4).map((x) => Number(x % P_BIG));
}

describe("BabyBear⁴ = F_p[X]/(X⁴ − 11)", () => {
  it("X⁴ − 11 is irreducible: 11 is a non-residue, X^(p⁴) = X and X^(p²) ≠ X", () => {
    expect(W).toBe(11);
    expect(pow(11, (P - 1) / 2)).toBe(P - 1);
    const X = extOf(0, 1);
    expect(eEq(ePow(X, P_BIG ** 4n), X)).toBe(true);
    // If X⁴ − 11 factored, X would lie in a subfield F_{p²} (or F_p), i.e. X^(p²) = X.
    expect(eEq(ePow(X, P_BIG ** 2n), X)).toBe(false);
    expect(eEq(ePow(X, P_BIG), X)).toBe(false);
  });

  it("mul agrees with the BigInt schoolbook product on 10^5 random pairs", () => {
    const r = rng(2024);
    let bad = 0;
    const edge = [EXT_ZERO, EXT_ONE, extOf(P - 1, P - 1, P - 1, P - 1), extOf(0, 0, 0, 1), extOf(P - 1, 0, 0, P - 1)];
    const pairs: [Ext, Ext][] = [];
    for (const a of edge) for (const b of edge) pairs.push([a, b]);
    for (let i = 0; i < 100_000; i++) pairs.push([randExt(r), randExt(r)]);
    for (const [a, b] of pairs) {
      const got = eMul(a, b);
      const want = refMul(a, b);
      if (got[0] !== want[0] || got[1] !== want[1] || got[2] !== want[2] || got[3] !== want[3]) bad++;
    }
    expect(bad).toBe(0);
  });

  it("field axioms: associativity, commutativity, distributivity, inverses, identities", () => {
    const r = rng(77);
    for (let i = 0; i < 3000; i++) {
      const a = randExt(r), b = randExt(r), c = randExt(r);
      expect(eEq(eMul(eMul(a, b), c), eMul(a, eMul(b, c)))).toBe(true);
      expect(eEq(eMul(a, b), eMul(b, a))).toBe(true);
      expect(eEq(eMul(a, eAdd(b, c)), eAdd(eMul(a, b), eMul(a, c)))).toBe(true);
      expect(eEq(eAdd(eAdd(a, b), c), eAdd(a, eAdd(b, c)))).toBe(true);
      expect(eEq(eSub(eAdd(a, b), b), a)).toBe(true);
      expect(eIsZero(eAdd(a, eNeg(a)))).toBe(true);
      expect(eEq(eMul(a, EXT_ONE), a)).toBe(true);
      if (!eIsZero(a)) expect(eEq(eMul(a, eInv(a)), EXT_ONE)).toBe(true);
      const k = r() % P;
      expect(eEq(eMulBase(a, k), eMul(a, eFromBase(k)))).toBe(true);
    }
    expect(() => eInv(EXT_ZERO)).toThrow(RangeError);
    // inverse of pure base and pure X³ elements (norm edge cases)
    for (const a of [extOf(5), extOf(0, 0, 0, 3), extOf(0, 7), extOf(0, 0, 9)]) expect(eEq(eMul(a, eInv(a)), EXT_ONE)).toBe(true);
  });

  it("pow: a^(p⁴−1) = 1 and a^(m+n) = a^m·a^n", () => {
    const r = rng(3);
    for (let i = 0; i < 20; i++) {
      const a = randExt(r);
      expect(eEq(ePow(a, P_BIG ** 4n - 1n), EXT_ONE)).toBe(true);
      const m = r(), n = r();
      expect(eEq(ePow(a, m + n), eMul(ePow(a, m), ePow(a, n)))).toBe(true);
    }
    expect(eEq(ePow(extOf(1, 2, 3, 4), 0), EXT_ONE)).toBe(true);
  });

  it("batch inversion matches single inversion and rejects zero", () => {
    const r = rng(11);
    const xs = Array.from({ length: 300 }, () => randExt(r));
    const ys = eBatchInverse(xs);
    xs.forEach((x, i) => expect(eEq(ys[i]!, eInv(x))).toBe(true));
    const flat = new Uint32Array(8);
    flat.set(extOf(1, 2, 3, 4), 0);
    expect(() => eBatchInverseFlat(flat)).toThrow(/index 1/);
    expect(eBatchInverse([]).length).toBe(0);
  });

  it("polynomial evaluation (Horner) agrees with the sum of powers", () => {
    const r = rng(19);
    const coeffs = new Uint32Array(4 * 9).map(() => r() % P);
    const x = randExt(r);
    let want: Ext = EXT_ZERO;
    for (let i = 0; i < 9; i++) want = eAdd(want, eMul(coeffs.subarray(4 * i, 4 * i + 4), ePow(x, i)));
    expect(eEq(ePolyEval(coeffs, x), want)).toBe(true);
  });

  it("encoding round-trips and rejects non-canonical coefficients; bytes → element is reduced", () => {
    const a = extOf(1, P - 1, 0, 123456);
    expect(eEq(decodeExt(encodeExt(a)), a)).toBe(true);
    const bytes = encodeExt(a);
    bytes.set([0x01, 0x00, 0x00, 0x78], 8); // coefficient 2 := 0x78000001 = p
    let kind = "none";
    try { decodeExt(bytes); } catch (e) { kind = isVerifierError(e) ? e.kind : "untyped"; }
    expect(kind).toBe("NonCanonical");
    kind = "none";
    try { decodeExt(new Uint8Array(15)); } catch (e) { kind = isVerifierError(e) ? e.kind : "untyped"; }
    expect(kind).toBe("Malformed");
    const ones = new Uint8Array(32).fill(0xff);
    // (2^64 − 1) mod p, computed independently
    const want = Number((2n ** 64n - 1n) % P_BIG);
    expect([...eFromBytes(ones)]).toEqual([want, want, want, want]);
    expect(mul(1, 1)).toBe(1);
  });
});
